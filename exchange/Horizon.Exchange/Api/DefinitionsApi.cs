using Horizon.Exchange.Storage;
using Horizon.Patterns.Validation;

namespace Horizon.Exchange.Api;

/// <summary>
/// <c>/v1/orgs/{org}/services</c>, <c>/patterns</c> and <c>/business/policies</c>: published
/// definitions, stored as the JSON the deployment-model library accepts and serializes.
/// </summary>
internal static class DefinitionsApi
{
    public static RouteGroupBuilder MapDefinitionsApi(this RouteGroupBuilder v1)
    {
        foreach (var kind in new[] { DefinitionKind.Service, DefinitionKind.Pattern, DefinitionKind.Policy })
        {
            var group = v1.MapGroup($"/orgs/{{org}}/{kind.Path}").WithTags(kind.Path);
            group.MapGet("/", (string org, HttpContext http, ExchangeServices x) => ListAsync(kind, org, http, x));
            group.MapGet("/{id}", (string org, string id, HttpContext http, ExchangeServices x) => GetAsync(kind, org, id, http, x));
            group.MapPut("/{id}", (string org, string id, HttpContext http, ExchangeServices x) => SaveAsync(kind, org, id, http, x));
            group.MapPost(kind == DefinitionKind.Service ? "/" : "/{id}", (string org, string? id, HttpContext http, ExchangeServices x) => SaveAsync(kind, org, id, http, x));
            group.MapDelete("/{id}", (string org, string id, HttpContext http, ExchangeServices x) => DeleteAsync(kind, org, id, http, x));
        }
        return v1;
    }

    private static async Task<IResult> ListAsync(DefinitionKind kind, string org, HttpContext http, ExchangeServices exchange)
    {
        var caller = http.Caller();
        var all = caller.Org == org || caller.IsHubAdmin || await exchange.AgbotReachesAsync(caller, org, http.RequestAborted);
        if (!all && !kind.CanBePublic)
        {
            return Problems.Forbidden($"{caller} may not read the {kind.Path} of org {org}");
        }
        var rows = await exchange.Definitions.ListAsync(kind.Kind, org, publicOnly: !all, http.RequestAborted);
        return TypedResults.Text(DefinitionKind.JsonArray(rows.Select(r => r.Document)), "application/json");
    }

    private static async Task<IResult> GetAsync(DefinitionKind kind, string org, string id, HttpContext http, ExchangeServices exchange)
    {
        var caller = http.Caller();
        var row = await exchange.Definitions.GetAsync(kind.Kind, org, id, http.RequestAborted);
        if (row is null)
        {
            return Problems.NotFound($"{kind.Kind} {org}/{id} not found");
        }
        return kind.CanRead(caller, org, row, await exchange.AgbotReachesAsync(caller, org, http.RequestAborted))
            ? TypedResults.Text(row.Document, "application/json")
            : Problems.Forbidden($"{caller} may not read {kind.Kind} {org}/{id}");
    }

    private static async Task<IResult> SaveAsync(DefinitionKind kind, string org, string? id, HttpContext http, ExchangeServices exchange)
    {
        var caller = http.Caller();
        // Authorization before validation: who may publish nothing here learns nothing of the body's problems.
        if (!DefinitionKind.CanWrite(caller, org, null))
        {
            return Problems.Forbidden($"{caller} may not publish {kind.Kind}s in org {org}");
        }
        var (bytes, unread) = await JsonBody.ReadBytesAsync(http.Request);
        if (unread is not null)
        {
            return unread;
        }
        if (JsonBody.ParseObject(bytes, $"a {kind.Kind}").Problem is { } malformed)
        {
            return malformed;
        }
        var json = System.Text.Encoding.UTF8.GetString(bytes);
        (string Document, bool IsPublic, string? Id) prepared;
        try
        {
            prepared = kind.Prepare(json, org, id, caller.FullId, exchange.Time.GetUtcNow());
        }
        catch (ModelFormatException e)
        {
            return Problems.BadRequest($"invalid {kind.Kind}: {e.Message}");
        }
        if (prepared.Id is not null && id is not null && prepared.Id != id)
        {
            return Problems.BadRequest($"the {kind.Kind} id in the path ({id}) differs from the one its url, version and arch give ({prepared.Id})");
        }
        var key = prepared.Id ?? id ?? "";
        if (Validation.CheckId($"{kind.Kind} id", key) is { } invalid)
        {
            return Problems.BadRequest(invalid);
        }
        var existing = await exchange.Definitions.GetAsync(kind.Kind, org, key, http.RequestAborted);
        if (!DefinitionKind.CanWrite(caller, org, existing))
        {
            return Problems.Forbidden($"{caller} may not {(existing is null ? "publish" : "change")} {kind.Kind} {org}/{key}");
        }
        if (existing is null && await exchange.Identities.GetOrgAsync(org, http.RequestAborted) is null)
        {
            return Problems.NotFound($"org {org} not found");
        }
        var limit = kind == DefinitionKind.Service ? await OrgLimits.MaxServicesAsync(org, exchange, http.RequestAborted) : long.MaxValue;
        var result = await exchange.Definitions.SaveAsync(new DefinitionRecord
        {
            Kind = kind.Kind,
            Org = org,
            Id = key,
            Owner = existing?.Owner ?? caller.FullId,
            IsPublic = prepared.IsPublic ? 1 : 0,
            Document = prepared.Document,
            LastUpdated = Clock.Now(exchange.Time),
        }, limit, http.RequestAborted);
        return Outcomes.Of(result, exchange, $"{kind.Kind} {org}/{key}", "");
    }

    private static async Task<IResult> DeleteAsync(DefinitionKind kind, string org, string id, HttpContext http, ExchangeServices exchange)
    {
        var caller = http.Caller();
        var existing = await exchange.Definitions.GetAsync(kind.Kind, org, id, http.RequestAborted);
        if (existing is null)
        {
            return Problems.NotFound($"{kind.Kind} {org}/{id} not found");
        }
        if (!DefinitionKind.CanWrite(caller, org, existing))
        {
            return Problems.Forbidden($"{caller} may not delete {kind.Kind} {org}/{id}");
        }
        var deleted = await exchange.Definitions.DeleteAsync(kind.Kind, org, id, http.RequestAborted);
        if (deleted.Succeeded && kind == DefinitionKind.Service)
        {
            // A service's policy goes with it; none is the usual case.
            await exchange.Attachments.DeleteAsync(AttachmentKinds.ServicePolicy, org, id, "", new ChangeIntent(org, "servicepolicy", id, "deleted"), http.RequestAborted);
        }
        return Outcomes.Of(deleted, exchange, $"{kind.Kind} {org}/{id}", "");
    }

}
