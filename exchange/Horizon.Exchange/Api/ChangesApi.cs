using Horizon.Exchange.Auth;
using Horizon.Exchange.Client;
using Horizon.Exchange.Hosting;
using Horizon.Exchange.Storage;

namespace Horizon.Exchange.Api;

/// <summary>
/// <c>POST /v1/orgs/{org}/changes</c>: the change feed. Ask from <c>changeId</c> and continue
/// from <c>mostRecentChangeId + 1</c>; nothing committed is ever skipped (see <see cref="ChangeLog"/>).
/// A node sees changes to itself and to the org's definitions and agbots; users the whole org;
/// agbots and hub admins may add further orgs with <c>orgList</c>.
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
        var caller = http.Caller();
        var orgs = new HashSet<string>(StringComparer.Ordinal) { org };
        orgs.UnionWith(request!.OrgList ?? []);
        var crossOrg = caller.IsHubAdmin || caller.Kind == CallerKind.Agbot;
        if (!crossOrg && orgs.Any(o => o != caller.Org))
        {
            return Problems.Forbidden($"{caller} may only read the changes of its own org");
        }
        if (request.MaxRecords < 0 || request.ChangeId < 0)
        {
            return Problems.BadRequest("maxRecords and changeId must not be negative");
        }
        var max = Paging.Size(request.MaxRecords, exchange);
        var (rows, watermark) = await exchange.Changes.ReadAsync(orgs, request.ChangeId, max, http.RequestAborted);
        var hitMax = rows.Count > max;
        var page = rows.Take(max).ToList();
        var mostRecent = hitMax ? page[^1].Id : Math.Max(watermark, request.ChangeId - 1);
        var visible = caller.Kind == CallerKind.Node ? page.Where(c => VisibleToNode(caller, c)) : page;
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

    private static bool VisibleToNode(Caller node, ChangeRecord change) =>
        change.Resource.StartsWith("node", StringComparison.Ordinal) ? change.ResourceId == node.Id
        : change.Resource != "user";
}
