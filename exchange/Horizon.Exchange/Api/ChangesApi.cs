using Horizon.Exchange.Auth;
using Horizon.Exchange.Client;
using Horizon.Exchange.Hosting;
using Horizon.Exchange.Storage;

namespace Horizon.Exchange.Api;

/// <summary>
/// <c>POST /v1/orgs/{org}/changes</c>: the change feed. Ask from <c>changeId</c> and continue
/// from <c>mostRecentChangeId + 1</c>; nothing committed is ever skipped (see <see cref="ChangeLog"/>).
/// A node sees changes to itself and to the org's definitions and agbots; users the whole org;
/// hub admins and agbots may add further orgs with <c>orgList</c>; an agbot sees all of an org that
/// granted it (agbotgrants) and only definition changes of any other.
/// </summary>
internal static class ChangesApi
{
    public static RouteGroupBuilder MapChangesApi(this RouteGroupBuilder v1)
    {
        v1.MapPost("/orgs/{org}/changes", ReadAsync).WithTags("Changes")
            .Accepts<ChangesRequest>("application/json").Produces<ChangesResponse>();
        return v1;
    }

    private static async Task<IResult> ReadAsync(string org, HttpContext http, ExchangeServices exchange)
    {
        var (request, problem) = await JsonBody.ReadAsync<ChangesRequest>(http.Request);
        if (problem is not null)
        {
            return problem;
        }
        if (Paging.CheckList("orgList", request!.OrgList, exchange) is { } tooLong)
        {
            return tooLong;
        }
        var caller = http.Caller();
        var orgs = new HashSet<string>(StringComparer.Ordinal) { org };
        orgs.UnionWith(request!.OrgList ?? []);
        HashSet<string>? reachable = null;
        if (!caller.IsHubAdmin && orgs.Any(o => o != caller.Org))
        {
            if (caller.Kind != CallerKind.Agbot)
            {
                return Problems.Forbidden($"{caller} may only read the changes of its own org");
            }
            // An agbot watches the orgs of the definitions it deploys too (a public pattern of another
            // org); of an org that has not granted it, it sees only changes to definitions.
            reachable = await exchange.ReachableOrgsAsync(caller, http.RequestAborted);
        }
        if (request.MaxRecords < 0 || request.ChangeId < 0)
        {
            return Problems.BadRequest("maxRecords and changeId must not be negative");
        }
        var (max, badSize) = Paging.Size("maxRecords", request.MaxRecords, exchange);
        if (badSize is not null)
        {
            return badSize;
        }
        var (rows, watermark, truncated) = await exchange.Changes.ReadAsync(orgs, request.ChangeId, max, http.RequestAborted);
        var full = rows.Count > max;
        var page = rows.Take(max).ToList();
        var mostRecent = full ? page[^1].Id : Math.Max(watermark, request.ChangeId - 1);
        // A read cut short by its window says so like a full page does, so the reader asks again at once.
        var hitMax = full || truncated;
        var visible = caller.Kind == CallerKind.Node ? page.Where(c => VisibleToNode(caller, c))
            : reachable is not null ? page.Where(c => reachable.Contains(c.Org) || DefinitionResources.Contains(c.Resource))
            : page;
        return TypedResults.Ok(new ChangesResponse
        {
            Changes = visible.Select(c => new ChangeEntry
            {
                ChangeId = c.Id,
                OrgId = c.Org,
                Resource = c.Resource,
                Id = c.ResourceId,
                Operation = c.Operation,
                LastUpdated = c.ChangedAt,
            }).ToList(),
            MostRecentChangeId = mostRecent,
            HitMaxRecords = hitMax,
            ExchangeVersion = ExchangeVersion.Current,
        });
    }

    /// <summary>What an agbot sees of an org that has not granted it: definitions, some of which are public.</summary>
    private static readonly HashSet<string> DefinitionResources = new(StringComparer.Ordinal) { "service", "pattern", "servicepolicy" };

    private static bool VisibleToNode(Caller node, ChangeRecord change) =>
        change.Resource.StartsWith("node", StringComparison.Ordinal) ? change.ResourceId == node.Id
        : change.Resource != "user";
}
