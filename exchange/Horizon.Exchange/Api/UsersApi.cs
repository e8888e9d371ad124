using Horizon.Exchange.Auth;
using Horizon.Exchange.Client;
using Horizon.Exchange.Storage;

namespace Horizon.Exchange.Api;

/// <summary>
/// <c>/v1/orgs/{org}/users</c>: org admins manage their org's users; a user reads and changes
/// itself (but cannot make itself admin); only hub admins create admins of other orgs, and only hub
/// admins create, change or delete hub admins (a root-org admin is not one). A flag left out keeps its value.
/// </summary>
internal static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder v1)
    {
        var users = v1.MapGroup("/orgs/{org}/users").WithTags("Users");
        users.MapGet("/", ListAsync).Produces<IReadOnlyList<ExchangeUser>>();
        users.MapGet("/{username}", GetAsync).Produces<ExchangeUser>();
        users.MapPut("/{username}", PutAsync).Accepts<ExchangeUser>("application/json");
        users.MapPost("/{username}", PutAsync).Accepts<ExchangeUser>("application/json");
        users.MapDelete("/{username}", DeleteAsync);
        return v1;
    }

    private static ExchangeUser ToWire(UserRecord row) => new()
    {
        Username = $"{row.Org}/{row.Username}",
        Admin = row.Admin != 0,
        HubAdmin = row.HubAdmin != 0,
        Email = row.Email,
        LastUpdated = row.LastUpdated,
        UpdatedBy = row.UpdatedBy,
    };

    private static bool IsSelf(Caller caller, string org, string username) => caller.IsUser && caller.Org == org && caller.Id == username;

    private static async Task<IResult> ListAsync(string org, HttpContext http, ExchangeServices exchange)
    {
        var caller = http.Caller();
        return caller.IsAdminOf(org)
            ? TypedResults.Ok((await exchange.Identities.ListUsersAsync(org, http.RequestAborted)).Select(ToWire).ToList())
            : Problems.Forbidden($"{caller} may not list the users of org {org}");
    }

    private static async Task<IResult> GetAsync(string org, string username, HttpContext http, ExchangeServices exchange)
    {
        var caller = http.Caller();
        if (!caller.IsAdminOf(org) && !IsSelf(caller, org, username))
        {
            return Problems.Forbidden($"{caller} may not read user {org}/{username}");
        }
        var row = await exchange.Identities.GetUserAsync(org, username, http.RequestAborted);
        return row is null ? Problems.NotFound($"user {org}/{username} not found") : TypedResults.Ok(ToWire(row));
    }

    private static async Task<IResult> PutAsync(string org, string username, HttpContext http, ExchangeServices exchange)
    {
        if (!http.Caller().IsAdminOf(org) && !IsSelf(http.Caller(), org, username))
        {
            return Problems.Forbidden($"{http.Caller()} may not change users of org {org}");
        }
        var (user, problem) = await JsonBody.ReadAsync<ExchangeUser>(http.Request);
        if (problem is not null)
        {
            return problem;
        }
        if (Validation.CheckId("username", username) is { } invalid)
        {
            return Problems.BadRequest(invalid);
        }
        var caller = http.Caller();
        var existing = await exchange.Identities.GetUserAsync(org, username, http.RequestAborted);
        if (!caller.IsAdminOf(org) && !(existing is not null && IsSelf(caller, org, username)))
        {
            return Problems.Forbidden($"{caller} may not {(existing is null ? "create" : "change")} user {org}/{username}");
        }
        var wasAdmin = existing is not null && existing.Admin != 0;
        var wasHubAdmin = existing is not null && existing.HubAdmin != 0;
        // A root-org admin is not a hub admin: hub admins alone touch hub admins (password, email, flags).
        if (wasHubAdmin && !caller.IsHubAdmin)
        {
            return Problems.Forbidden($"{caller} may not change hub admin {org}/{username}; only hub admins may");
        }
        // An absent flag keeps the stored one, so a password reset never silently demotes anyone.
        var admin = user!.Admin ?? wasAdmin;
        var hubAdmin = user.HubAdmin ?? wasHubAdmin;
        if (hubAdmin && !wasHubAdmin && (org != Caller.RootOrg || !caller.IsHubAdmin))
        {
            return org != Caller.RootOrg ? Problems.BadRequest("hubAdmin users live in the root org")
                : Problems.Forbidden($"{caller} may not make {org}/{username} a hub admin; only hub admins may");
        }
        if (admin && !wasAdmin && !caller.IsAdminOf(org))
        {
            return Problems.Forbidden($"{caller} may not make {org}/{username} an admin");
        }
        if (existing is null && string.IsNullOrEmpty(user.Password))
        {
            return Problems.BadRequest("a new user needs a password");
        }
        if (existing is null && await exchange.Identities.GetOrgAsync(org, http.RequestAborted) is null)
        {
            return Problems.NotFound($"org {org} not found");
        }
        var result = await exchange.Identities.SaveUserAsync(new UserRecord
        {
            Org = org,
            Username = username,
            TokenHash = string.IsNullOrEmpty(user.Password) ? "" : exchange.Hasher.Hash(user.Password),
            Admin = admin ? 1 : 0,
            HubAdmin = hubAdmin ? 1 : 0,
            Email = user.Email ?? existing?.Email ?? "",
            LastUpdated = Clock.Now(exchange.Time),
            UpdatedBy = caller.FullId,
        }, http.RequestAborted);
        exchange.Verifier.Forget(org, username);
        return Outcomes.Of(result, exchange, $"user {org}/{username}", "");
    }

    private static async Task<IResult> DeleteAsync(string org, string username, HttpContext http, ExchangeServices exchange)
    {
        var caller = http.Caller();
        if (!caller.IsAdminOf(org) && !IsSelf(caller, org, username))
        {
            return Problems.Forbidden($"{caller} may not delete user {org}/{username}");
        }
        if (org == Caller.RootOrg && username == "root")
        {
            return Problems.BadRequest("root/root cannot be deleted");
        }
        if (!caller.IsHubAdmin && (await exchange.Identities.GetUserAsync(org, username, http.RequestAborted))?.HubAdmin is 1)
        {
            return Problems.Forbidden($"{caller} may not delete hub admin {org}/{username}; only hub admins may");
        }
        var result = await exchange.Identities.DeleteUserAsync(org, username, http.RequestAborted);
        exchange.Verifier.Forget(org, username);
        return Outcomes.Of(result, exchange, $"user {org}/{username}", "");
    }
}
