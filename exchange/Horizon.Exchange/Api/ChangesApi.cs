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
/// granted it (agbotgrants) and, of any other, only changes to definitions that are public (a private
/// one's id is that org's business; a deleted public one is gone from the agbot's next catalog read).
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
        IEnumerable<ChangeRecord> visible = page;
        if (caller.Kind == CallerKind.Node)
        {
            visible = page.Where(c => VisibleToNode(caller, c));
        }
        else if (reachable is not null)
        {
            var definitions = page.Where(c => !reachable.Contains(c.Org) && DefinitionResources.ContainsKey(c.Resource))
                .Select(c => (Kind: DefinitionResources[c.Resource], c.Org, Id: c.ResourceId)).ToList();
            var isPublic = await exchange.Definitions.PublicAmongAsync(definitions, http.RequestAborted);
            visible = page.Where(c => reachable.Contains(c.Org)
                || (DefinitionResources.TryGetValue(c.Resource, out var kind) && isPublic.Contains($"{kind}/{c.Org}/{c.ResourceId}")));
        }
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

    /// <summary>
    /// What an agbot may see of an org that has not granted it: changes to its public definitions, by the
    /// change's resource and the kind of definition whose publicness decides (a service policy: its service's).
    /// </summary>
    private static readonly Dictionary<string, string> DefinitionResources = new(StringComparer.Ordinal)
    {
        ["service"] = "service",
        ["pattern"] = "pattern",
        ["servicepolicy"] = "service",
    };

    private static bool VisibleToNode(Caller node, ChangeRecord change) =>
        change.Resource.StartsWith("node", StringComparison.Ordinal) ? change.ResourceId == node.Id
        : change.Resource != "user";
}
