using Horizon.Exchange.Client;
using Horizon.Exchange.Storage;

namespace Horizon.Exchange.Api;

/// <summary>
/// <c>GET /v1/orgs/{org}/status</c>: the org's nodes by state, counted in the database. Whoever may list
/// the org's nodes may ask, and sees the count of what that list would hold: org admins, hub admins and
/// agbots serving the org every node, a plain user of the org the nodes it registered.
/// </summary>
internal static class OrgStatusApi
{
    public static RouteGroupBuilder MapOrgStatusApi(this RouteGroupBuilder v1)
    {
        v1.MapGet("/orgs/{org}/status", StatusAsync).WithTags("Orgs").Produces<OrgStatus>();
        return v1;
    }

    private static async Task<IResult> StatusAsync(string org, HttpContext http, ExchangeServices exchange)
    {
        var caller = http.Caller();
        string? owner;
        if (caller.IsAdminOf(org) || await NodeAccess.IsServingAgbotAsync(caller, org, exchange, http.RequestAborted))
        {
            owner = null;
        }
        else if (caller.IsUser && caller.Org == org)
        {
            owner = caller.FullId;
        }
        else
        {
            return Problems.Forbidden($"{caller} may not read the status of org {org}");
        }
        if (await exchange.Identities.GetOrgAsync(org, http.RequestAborted) is null)
        {
            return Problems.NotFound($"org {org} not found");
        }
        var counts = await NodeStateCounts.CountAsync(exchange.Storage, exchange.Time.GetUtcNow(), exchange.Options.NodeOfflineAfter,
            org, owner, http.RequestAborted);
        long Count(string state) => counts.Where(c => c.State == state).Sum(c => c.Count);
        return TypedResults.Ok(new OrgStatus
        {
            Org = org,
            Scope = owner is null ? "org" : "owner",
            Nodes = new NodeStateTotals { Total = counts.Sum(c => c.Count), Online = Count("online"), Offline = Count("offline"), New = Count("new") },
            OfflineAfterSeconds = (long)exchange.Options.NodeOfflineAfter.TotalSeconds,
        });
    }
}
