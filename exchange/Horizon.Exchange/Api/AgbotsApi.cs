using System.Text.Json;
using Horizon.Exchange.Auth;
using Horizon.Exchange.Client;
using Horizon.Exchange.Storage;

namespace Horizon.Exchange.Api;

/// <summary>
/// <c>/v1/orgs/{org}/agbots</c>. Any authenticated identity may read an agbot (its keys are public
/// and nodes check agbot signatures with them); org admins create it; the agbot itself, its owner
/// and admins change it. What it serves in other orgs reaches their nodes only with their grant (<see cref="AgbotGrantsApi"/>).
/// </summary>
internal static class AgbotsApi
{
    public static RouteGroupBuilder MapAgbotsApi(this RouteGroupBuilder v1)
    {
        var agbots = v1.MapGroup("/orgs/{org}/agbots").WithTags("Agbots");
        agbots.MapGet("/", ListAsync).Produces<IReadOnlyList<ExchangeAgbot>>();
        agbots.MapGet("/{id}", GetAsync).Produces<ExchangeAgbot>();
        agbots.MapPut("/{id}", PutAsync).Accepts<ExchangeAgbot>("application/json");
        agbots.MapDelete("/{id}", DeleteAsync);
        agbots.MapPost("/{id}/heartbeat", HeartbeatAsync);
        agbots.MapServedApi<AgbotPattern>("patterns", AttachmentKinds.AgbotPattern, "agbotpatterns",
            p => p.PatternOrgid is { Length: > 0 } && p.Pattern is { Length: > 0 }
                ? Validation.CheckId("patternOrgid", p.PatternOrgid) ?? CheckServedName("pattern", p.Pattern) ?? CheckOptionalId("nodeOrgid", p.NodeOrgid)
                : "patternOrgid and pattern are required",
            p => $"{p.PatternOrgid}_{ServedIdPart(p.Pattern)}_{p.NodeOrgid}", (p, org, id, now) => p with { Id = id, NodeOrgid = string.IsNullOrEmpty(p.NodeOrgid) ? org : p.NodeOrgid, LastUpdated = now });
        agbots.MapServedApi<AgbotBusinessPolicy>("businesspols", AttachmentKinds.AgbotPolicy, "agbotbusinesspols",
            p => p.BusinessPolOrgid is { Length: > 0 } && p.BusinessPol is { Length: > 0 }
                ? Validation.CheckId("businessPolOrgid", p.BusinessPolOrgid) ?? CheckServedName("businessPol", p.BusinessPol) ?? CheckOptionalId("nodeOrgid", p.NodeOrgid)
                : "businessPolOrgid and businessPol are required",
            p => $"{p.BusinessPolOrgid}_{ServedIdPart(p.BusinessPol)}_{p.NodeOrgid}", (p, org, id, now) => p with { Id = id, NodeOrgid = string.IsNullOrEmpty(p.NodeOrgid) ? org : p.NodeOrgid, LastUpdated = now });
        agbots.MapAgbotAgreementsApi();
        agbots.MapAgbotRolloutsApi();
        return v1;
    }

    private static string? CheckOptionalId(string what, string? id) => string.IsNullOrEmpty(id) ? null : Validation.CheckId(what, id);

    // Open Horizon's '*' (every pattern or deployment policy of the org, those published later
    // included) is the one served name outside the id rule.
    private static string? CheckServedName(string what, string? name) => name == "*" ? null : Validation.CheckId(what, name);

    // The entry's id appears in paths (DELETE …/businesspols/{id}), where '*' is refused: '-all-'
    // stands for it there, and no pattern or policy id can be '-all-' (ids start with a letter or digit).
    private static string ServedIdPart(string? name) => name == "*" ? "-all-" : name ?? "";

    /// <summary>Whether <paramref name="caller"/> could change any agbot of <paramref name="org"/>, decided before any lookup.</summary>
    public static bool MayWriteIn(Caller caller, string org) =>
        caller.IsHubAdmin || (caller.Org == org && caller.Kind != CallerKind.Node);

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NoWrites(Caller caller, string org) => Problems.Forbidden($"{caller} may not change agbots of org {org}");

    public static bool CanWrite(Caller caller, string org, AgbotRecord agbot) =>
        caller.IsAdminOf(org)
        || (caller.Kind == CallerKind.Agbot && caller.Org == org && caller.Id == agbot.Id)
        || (caller.IsUser && caller.Org == org && agbot.Owner == caller.FullId);

    internal static ExchangeAgbot ToWire(AgbotRecord row) => new()
    {
        Id = row.Id,
        Orgid = row.Org,
        Name = row.Name,
        MsgEndPoint = row.MsgEndPoint,
        PublicKey = row.PublicKey,
        EncryptionKey = row.EncryptionKey,
        Owner = row.Owner,
        LastHeartbeat = Clock.FromUnixMs(row.LastHeartbeat),
        LastUpdated = row.LastUpdated,
    };

    private static async Task<IResult> ListAsync(string org, HttpContext http, ExchangeServices exchange)
    {
        var caller = http.Caller();
        if (caller.Org != org && !caller.IsHubAdmin)
        {
            return Problems.Forbidden($"{caller} may not list the agbots of org {org}");
        }
        return TypedResults.Ok((await exchange.Agbots.ListAsync(org, http.RequestAborted)).Select(ToWire).ToList());
    }

    private static async Task<IResult> GetAsync(string org, string id, HttpContext http, ExchangeServices exchange)
    {
        var row = await exchange.Agbots.GetAsync(org, id, http.RequestAborted);
        return row is null ? Problems.NotFound($"agbot {org}/{id} not found") : TypedResults.Ok(ToWire(row));
    }

    private static async Task<IResult> PutAsync(string org, string id, HttpContext http, ExchangeServices exchange)
    {
        if (!MayWriteIn(http.Caller(), org))
        {
            return NoWrites(http.Caller(), org);
        }
        var (parsed, problem) = await JsonBody.ReadAsync<ExchangeAgbot>(http.Request);
        if (problem is not null)
        {
            return problem;
        }
        var agbot = parsed!;
        var invalid = Validation.CheckId("agbot id", id)
            ?? Validation.CheckIdentityKey("publicKey", agbot.PublicKey)
            ?? Validation.CheckEncryptionKey("encryptionKey", agbot.EncryptionKey);
        if (invalid is not null)
        {
            return Problems.BadRequest(invalid);
        }
        var caller = http.Caller();
        var existing = await exchange.Agbots.GetAsync(org, id, http.RequestAborted);
        string owner;
        if (existing is not null)
        {
            if (!CanWrite(caller, org, existing))
            {
                return Problems.Forbidden($"{caller} may not change agbot {org}/{id}");
            }
            owner = existing.Owner;
        }
        else
        {
            // An agbot negotiates for the whole org, so only the org's admins (and hub admins) create one.
            if (!caller.IsAdminOf(org))
            {
                return Problems.Forbidden($"{caller} may not create agbots in org {org}; only its admins may");
            }
            if (string.IsNullOrEmpty(agbot.Token))
            {
                return Problems.BadRequest("a new agbot needs a token");
            }
            if (await exchange.Identities.GetOrgAsync(org, http.RequestAborted) is null)
            {
                return Problems.NotFound($"org {org} not found");
            }
            owner = caller.FullId;
        }
        var result = await exchange.Agbots.SaveAsync(new AgbotRecord
        {
            Org = org,
            Id = id,
            Owner = owner,
            TokenHash = string.IsNullOrEmpty(agbot.Token) ? "" : exchange.Hasher.HashMachineToken(agbot.Token),
            Name = agbot.Name ?? "",
            MsgEndPoint = agbot.MsgEndPoint ?? "",
            PublicKey = agbot.PublicKey ?? "",
            EncryptionKey = agbot.EncryptionKey ?? "",
            LastUpdated = Clock.Now(exchange.Time),
        }, http.RequestAborted);
        if (!string.IsNullOrEmpty(agbot.Token))
        {
            exchange.Verifier.Forget(org, id);
        }
        return Outcomes.Of(result, exchange, $"agbot {org}/{id}",
            "a registered key of the agbot differs from the one given; keys are never replaced silently — delete the agbot and create it again to change them");
    }

    private static async Task<IResult> DeleteAsync(string org, string id, HttpContext http, ExchangeServices exchange)
    {
        var caller = http.Caller();
        if (!MayWriteIn(caller, org))
        {
            return NoWrites(caller, org);
        }
        var existing = await exchange.Agbots.GetAsync(org, id, http.RequestAborted);
        if (existing is null)
        {
            return Problems.NotFound($"agbot {org}/{id} not found");
        }
        if (!CanWrite(caller, org, existing))
        {
            return Problems.Forbidden($"{caller} may not delete agbot {org}/{id}");
        }
        var result = await exchange.Agbots.DeleteAsync(org, id, http.RequestAborted);
        exchange.Verifier.Forget(org, id);
        return Outcomes.Of(result, exchange, $"agbot {org}/{id}", "");
    }

    private static async Task<IResult> HeartbeatAsync(string org, string id, HttpContext http, ExchangeServices exchange)
    {
        var caller = http.Caller();
        if (!MayWriteIn(caller, org))
        {
            return NoWrites(caller, org);
        }
        var existing = await exchange.Agbots.GetAsync(org, id, http.RequestAborted);
        if (existing is null)
        {
            return Problems.NotFound($"agbot {org}/{id} not found");
        }
        if (!CanWrite(caller, org, existing))
        {
            return Problems.Forbidden($"{caller} may not heartbeat agbot {org}/{id}");
        }
        await exchange.Agbots.HeartbeatAsync(org, id, exchange.Time.GetUtcNow().ToUnixTimeMilliseconds(), http.RequestAborted);
        return TypedResults.Ok(new ApiResponse { Code = "ok", Msg = "heartbeat successful" });
    }

    /// <summary>Loads the agbot and checks that the caller may read (or change) what hangs off it.</summary>
    internal static async Task<IResult?> AuthorizeAsync(string org, string id, HttpContext http, ExchangeServices exchange)
    {
        var caller = http.Caller();
        if (!MayWriteIn(caller, org))
        {
            return Problems.Forbidden($"{caller} may not access agbots of org {org}");
        }
        var existing = await exchange.Agbots.GetAsync(org, id, http.RequestAborted);
        if (existing is null)
        {
            return Problems.NotFound($"agbot {org}/{id} not found");
        }
        return CanWrite(caller, org, existing) ? null : Problems.Forbidden($"{caller} may not access agbot {org}/{id}");
    }

    private static void MapServedApi<T>(this RouteGroupBuilder agbots, string path, string kind, string resource,
        Func<T, string?> check, Func<T, string> key, Func<T, string, string, string, T> complete) where T : class
    {
        var type = (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)ExchangeJsonContext.Default.GetTypeInfo(typeof(T))!;
        agbots.MapGet($"/{{id}}/{path}", async (string org, string id, HttpContext http, ExchangeServices exchange) =>
        {
            if (await AuthorizeAsync(org, id, http, exchange) is { } problem)
            {
                return problem;
            }
            var rows = await exchange.Attachments.ListAsync(kind, org, id, http.RequestAborted);
            return TypedResults.Ok(rows.Select(r => JsonSerializer.Deserialize(r.Document, type)!).ToList());
        }).Produces<IReadOnlyList<T>>();
        agbots.MapPost($"/{{id}}/{path}", async (string org, string id, HttpContext http, ExchangeServices exchange) =>
        {
            if (await AuthorizeAsync(org, id, http, exchange) is { } refused)
            {
                return refused;
            }
            var (value, problem) = await JsonBody.ReadAsync<T>(http.Request);
            if (problem is not null)
            {
                return problem;
            }
            if (check(value!) is { } invalid)
            {
                return Problems.BadRequest(invalid);
            }
            var now = Clock.Now(exchange.Time);
            var provisional = complete(value!, org, "", now);
            var served = complete(value!, org, key(provisional), now);
            var result = await exchange.Attachments.PutAsync(
                new AttachmentRecord { Kind = kind, Org = org, Parent = id, Key = key(provisional), Document = JsonSerializer.Serialize(served, type), LastUpdated = now },
                new ChangeIntent(org, resource, id, "created"), http.RequestAborted);
            exchange.Committed(result);
            return TypedResults.Created((string?)null, served);
        }).Accepts<T>("application/json").Produces<T>(201);
        agbots.MapDelete($"/{{id}}/{path}/{{servedId}}", async (string org, string id, string servedId, HttpContext http, ExchangeServices exchange) =>
        {
            if (await AuthorizeAsync(org, id, http, exchange) is { } problem)
            {
                return problem;
            }
            var result = await exchange.Attachments.DeleteAsync(kind, org, id, servedId, new ChangeIntent(org, resource, id, "deleted"), http.RequestAborted);
            return Outcomes.Of(result, exchange, $"{path} {servedId} of agbot {org}/{id}", "");
        });
    }
}
