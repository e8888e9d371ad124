using System.Text.Json;
using Horizon.Exchange.Auth;
using Horizon.Exchange.Client;
using Horizon.Exchange.Storage;

namespace Horizon.Exchange.Api;

/// <summary>
/// <c>/v1/orgs</c>: hub admins create and delete orgs and set their limits; members (and agbots the
/// org granted) read theirs; org admins change theirs, but not its limits.
/// </summary>
internal static class OrgsApi
{
    public static RouteGroupBuilder MapOrgsApi(this RouteGroupBuilder v1)
    {
        var orgs = v1.MapGroup("/orgs").WithTags("Orgs");
        orgs.MapGet("/", ListAsync).Produces<IReadOnlyList<ExchangeOrg>>();
        orgs.MapGet("/{org}", GetAsync).Produces<ExchangeOrg>();
        orgs.MapPut("/{org}", PutAsync).Accepts<ExchangeOrg>("application/json");
        orgs.MapPost("/{org}", PutAsync).Accepts<ExchangeOrg>("application/json");
        orgs.MapDelete("/{org}", DeleteAsync);
        return v1;
    }

    private static ExchangeOrg ToWire(OrgRecord row) =>
        (JsonSerializer.Deserialize(row.Document, ExchangeJsonContext.Default.ExchangeOrg) ?? new ExchangeOrg()) with
        {
            Id = row.Id,
            Label = row.Label,
            Description = row.Description,
            OrgType = row.OrgType,
            LastUpdated = row.LastUpdated,
        };

    private static async Task<IResult> ListAsync(HttpContext http, ExchangeServices exchange)
    {
        var caller = http.Caller();
        if (!caller.IsHubAdmin)
        {
            return Problems.Forbidden($"{caller} may not list orgs; only hub admins may");
        }
        return TypedResults.Ok((await exchange.Identities.ListOrgsAsync(http.RequestAborted)).Select(ToWire).ToList());
    }

    private static async Task<IResult> GetAsync(string org, HttpContext http, ExchangeServices exchange)
    {
        var caller = http.Caller();
        if (caller.Org != org && !caller.IsHubAdmin && !await exchange.AgbotReachesAsync(caller, org, http.RequestAborted))
        {
            return Problems.Forbidden($"{caller} may not read org {org}");
        }
        var row = await exchange.Identities.GetOrgAsync(org, http.RequestAborted);
        return row is null ? Problems.NotFound($"org {org} not found") : TypedResults.Ok(ToWire(row));
    }

    private static async Task<IResult> PutAsync(string org, HttpContext http, ExchangeServices exchange)
    {
        if (!http.Caller().IsAdminOf(org))
        {
            return Problems.Forbidden($"{http.Caller()} may not create or change org {org}");
        }
        var (value, problem) = await JsonBody.ReadAsync<ExchangeOrg>(http.Request);
        if (problem is not null)
        {
            return problem;
        }
        if (Validation.CheckId("org id", org) is { } invalid)
        {
            return Problems.BadRequest(invalid);
        }
        var caller = http.Caller();
        var existing = await exchange.Identities.GetOrgAsync(org, http.RequestAborted);
        if (existing is null ? !caller.IsHubAdmin : !caller.IsAdminOf(org))
        {
            return Problems.Forbidden($"{caller} may not {(existing is null ? "create" : "change")} org {org}");
        }
        // Limits are the hub's quota on the org: left out, they stay; only hub admins change them.
        var stored = existing is null ? null : ToWire(existing);
        var limits = value!.Limits ?? stored?.Limits;
        if (!caller.IsHubAdmin && limits != stored?.Limits)
        {
            return Problems.Forbidden($"{caller} may not change the limits of org {org}; only hub admins may");
        }
        var result = await exchange.Identities.SaveOrgAsync(new OrgRecord
        {
            Id = org,
            Label = value.Label ?? "",
            Description = value.Description ?? "",
            OrgType = value.OrgType ?? "",
            Document = JsonSerializer.Serialize(new ExchangeOrg { Tags = value.Tags, Limits = limits }, ExchangeJsonContext.Default.ExchangeOrg),
            LastUpdated = Clock.Now(exchange.Time),
        }, http.RequestAborted);
        return Outcomes.Of(result, exchange, $"org {org}", "");
    }

    private static async Task<IResult> DeleteAsync(string org, HttpContext http, ExchangeServices exchange)
    {
        var caller = http.Caller();
        if (!caller.IsHubAdmin)
        {
            return Problems.Forbidden($"{caller} may not delete org {org}; only hub admins may");
        }
        if (org == Caller.RootOrg)
        {
            return Problems.BadRequest("the root org cannot be deleted");
        }
        var result = await exchange.Identities.DeleteOrgAsync(org, http.RequestAborted);
        exchange.Verifier.ForgetOrg(org);
        return Outcomes.Of(result, exchange, $"org {org}", "");
    }
}
