using System.Text.Json;
using Horizon.Exchange.Client;
using Horizon.Exchange.Storage;

namespace Horizon.Exchange.Api;

/// <summary>
/// <c>/v1/orgs/{org}/agbotgrants/{agbotOrg}/{agbotId}</c>: an org's admin (or a hub admin) lets an
/// agbot of another org reach the org's nodes, private definitions and change feed. An agbot may
/// name any org as the node org of what it serves, but without a grant that reaches nothing: rights
/// come from the org that owns the nodes, never from the agbot's own records.
/// </summary>
internal static class AgbotGrantsApi
{
    public static RouteGroupBuilder MapAgbotGrantsApi(this RouteGroupBuilder v1)
    {
        var grants = v1.MapGroup("/orgs/{org}/agbotgrants").WithTags("Agbots");
        grants.MapGet("/", ListAsync).Produces<IReadOnlyList<AgbotGrant>>();
        grants.MapGet("/{agbotOrg}/{agbotId}", GetAsync).Produces<AgbotGrant>();
        grants.MapPut("/{agbotOrg}/{agbotId}", PutAsync).Produces<ApiResponse>(201);
        grants.MapDelete("/{agbotOrg}/{agbotId}", DeleteAsync);
        return v1;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? Authorize(string org, string verb, HttpContext http)
    {
        var caller = http.Caller();
        return caller.IsAdminOf(org) ? null : Problems.Forbidden($"{caller} may not {verb} the agbot grants of org {org}; only its admins and hub admins may");
    }

    private static AgbotGrant ToWire(AttachmentRecord row) =>
        JsonSerializer.Deserialize(row.Document, ExchangeJsonContext.Default.AgbotGrant)! with { LastUpdated = row.LastUpdated };

    private static async Task<IResult> ListAsync(string org, HttpContext http, ExchangeServices exchange)
    {
        if (Authorize(org, "list", http) is { } refused)
        {
            return refused;
        }
        return TypedResults.Ok((await exchange.Attachments.GrantsOfAsync(org, http.RequestAborted)).Select(ToWire).ToList());
    }

    private static async Task<IResult> GetAsync(string org, string agbotOrg, string agbotId, HttpContext http, ExchangeServices exchange)
    {
        if (Authorize(org, "read", http) is { } refused)
        {
            return refused;
        }
        var row = await exchange.Attachments.GetAsync(AttachmentKinds.AgbotGrant, org, agbotOrg, agbotId, http.RequestAborted);
        return row is null ? Problems.NotFound($"org {org} has not granted agbot {agbotOrg}/{agbotId}") : TypedResults.Ok(ToWire(row));
    }

    private static async Task<IResult> PutAsync(string org, string agbotOrg, string agbotId, HttpContext http, ExchangeServices exchange)
    {
        if (Authorize(org, "change", http) is { } refused)
        {
            return refused;
        }
        if (await exchange.Identities.GetOrgAsync(org, http.RequestAborted) is null)
        {
            return Problems.NotFound($"org {org} not found");
        }
        if (await exchange.Agbots.GetAsync(agbotOrg, agbotId, http.RequestAborted) is null)
        {
            return Problems.NotFound($"agbot {agbotOrg}/{agbotId} not found");
        }
        var now = Clock.Now(exchange.Time);
        var grant = new AgbotGrant { NodeOrgid = org, AgbotOrgid = agbotOrg, Agbot = agbotId, GrantedBy = http.Caller().FullId };
        var result = await exchange.Attachments.PutAsync(
            new AttachmentRecord { Kind = AttachmentKinds.AgbotGrant, Org = org, Parent = agbotOrg, Key = agbotId, Document = JsonSerializer.Serialize(grant, ExchangeJsonContext.Default.AgbotGrant), LastUpdated = now },
            new ChangeIntent(org, "agbotgrants", $"{agbotOrg}/{agbotId}", "modified"), http.RequestAborted);
        return Outcomes.Of(result, exchange, $"grant of org {org} to agbot {agbotOrg}/{agbotId}", "");
    }

    private static async Task<IResult> DeleteAsync(string org, string agbotOrg, string agbotId, HttpContext http, ExchangeServices exchange)
    {
        if (Authorize(org, "change", http) is { } refused)
        {
            return refused;
        }
        var result = await exchange.Attachments.DeleteAsync(AttachmentKinds.AgbotGrant, org, agbotOrg, agbotId,
            new ChangeIntent(org, "agbotgrants", $"{agbotOrg}/{agbotId}", "deleted"), http.RequestAborted);
        return Outcomes.Of(result, exchange, $"grant of org {org} to agbot {agbotOrg}/{agbotId}", "");
    }
}
