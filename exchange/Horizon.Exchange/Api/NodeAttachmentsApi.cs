using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Horizon.Exchange.Client;
using Horizon.Exchange.Storage;

namespace Horizon.Exchange.Api;

/// <summary>
/// <c>/v1/orgs/{org}/nodes/{id}/status|errors|policy|agreements</c>: documents the node agent keeps
/// up to date. The node, its owner and admins write them; serving agbots read them too.
/// </summary>
internal static class NodeAttachmentsApi
{
    public static void MapNodeAttachmentsApi(this RouteGroupBuilder nodes)
    {
        nodes.MapGet("/{id}/status", (string org, string id, HttpContext http, ExchangeServices x) =>
            GetAsync(org, id, AttachmentKinds.NodeStatus, "", http, x, ExchangeJsonContext.Default.NodeStatus)).Produces<NodeStatus>();
        nodes.MapPut("/{id}/status", (string org, string id, HttpContext http, ExchangeServices x) =>
            PutTypedAsync(org, id, AttachmentKinds.NodeStatus, "", "nodestatus", http, x, (NodeStatus s, string now) => s with { LastUpdated = now }, ExchangeJsonContext.Default.NodeStatus))
            .Accepts<NodeStatus>("application/json");
        nodes.MapDelete("/{id}/status", (string org, string id, HttpContext http, ExchangeServices x) =>
            DeleteAsync(org, id, AttachmentKinds.NodeStatus, "", "nodestatus", http, x));

        nodes.MapGet("/{id}/errors", (string org, string id, HttpContext http, ExchangeServices x) =>
            GetAsync(org, id, AttachmentKinds.NodeErrors, "", http, x, ExchangeJsonContext.Default.NodeErrors)).Produces<NodeErrors>();
        nodes.MapPut("/{id}/errors", (string org, string id, HttpContext http, ExchangeServices x) =>
            PutTypedAsync(org, id, AttachmentKinds.NodeErrors, "", "nodeerrors", http, x, (NodeErrors e, string now) => e with { LastUpdated = now }, ExchangeJsonContext.Default.NodeErrors))
            .Accepts<NodeErrors>("application/json");
        nodes.MapDelete("/{id}/errors", (string org, string id, HttpContext http, ExchangeServices x) =>
            DeleteAsync(org, id, AttachmentKinds.NodeErrors, "", "nodeerrors", http, x));

        nodes.MapGet("/{id}/policy", (string org, string id, HttpContext http, ExchangeServices x) =>
            GetAsync(org, id, AttachmentKinds.NodePolicy, "", http, x, ExchangeJsonContext.Default.JsonElement));
        nodes.MapPut("/{id}/policy", PutPolicyAsync);
        nodes.MapDelete("/{id}/policy", (string org, string id, HttpContext http, ExchangeServices x) =>
            DeleteAsync(org, id, AttachmentKinds.NodePolicy, "", "nodepolicy", http, x));

        nodes.MapGet("/{id}/agreements", ListAgreementsAsync).Produces<IReadOnlyList<NodeAgreement>>();
        nodes.MapGet("/{id}/agreements/{agreementId}", (string org, string id, string agreementId, HttpContext http, ExchangeServices x) =>
            GetAsync(org, id, AttachmentKinds.NodeAgreement, agreementId, http, x, ExchangeJsonContext.Default.NodeAgreement)).Produces<NodeAgreement>();
        nodes.MapPut("/{id}/agreements/{agreementId}", (string org, string id, string agreementId, HttpContext http, ExchangeServices x) =>
            PutTypedAsync(org, id, AttachmentKinds.NodeAgreement, agreementId, "nodeagreements", http, x, (NodeAgreement a, string now) => a with { Id = agreementId, LastUpdated = now }, ExchangeJsonContext.Default.NodeAgreement))
            .Accepts<NodeAgreement>("application/json");
        nodes.MapDelete("/{id}/agreements/{agreementId}", (string org, string id, string agreementId, HttpContext http, ExchangeServices x) =>
            DeleteAsync(org, id, AttachmentKinds.NodeAgreement, agreementId, "nodeagreements", http, x));
    }

    private static async Task<(NodeRecord? Node, IResult? Problem)> AuthorizeAsync(string org, string id, bool write, HttpContext http, ExchangeServices exchange)
    {
        var caller = http.Caller();
        if (write ? !NodeAccess.MayWriteIn(caller, org) : !await NodeAccess.MayReadInAsync(caller, org, exchange, http.RequestAborted))
        {
            return (null, Problems.Forbidden($"{caller} may not {(write ? "change" : "read")} nodes of org {org}"));
        }
        var node = await exchange.Nodes.GetAsync(org, id, http.RequestAborted);
        if (node is null)
        {
            return (null, Problems.NotFound($"node {org}/{id} not found"));
        }
        var allowed = write ? NodeAccess.CanWrite(caller, org, node) : await NodeAccess.CanReadAsync(caller, org, node, exchange, http.RequestAborted);
        return allowed ? (node, null) : (null, Problems.Forbidden($"{caller} may not {(write ? "change" : "read")} node {org}/{id}"));
    }

    private static async Task<IResult> GetAsync<T>(string org, string id, string kind, string key, HttpContext http, ExchangeServices exchange, JsonTypeInfo<T> type)
    {
        var (_, problem) = await AuthorizeAsync(org, id, write: false, http, exchange);
        if (problem is not null)
        {
            return problem;
        }
        var row = await exchange.Attachments.GetAsync(kind, org, id, key, http.RequestAborted);
        return row is null
            ? Problems.NotFound($"node {org}/{id} has no {kind[4..]}{(key.Length > 0 ? " " + key : "")}")
            : TypedResults.Ok(JsonSerializer.Deserialize(row.Document, type));
    }

    private static async Task<IResult> PutTypedAsync<T>(string org, string id, string kind, string key, string resource, HttpContext http,
        ExchangeServices exchange, Func<T, string, T> stamp, JsonTypeInfo<T> type) where T : class
    {
        var (_, refused) = await AuthorizeAsync(org, id, write: true, http, exchange);
        if (refused is not null)
        {
            return refused;
        }
        var (value, problem) = await JsonBody.ReadAsync<T>(http.Request);
        if (problem is not null)
        {
            return problem;
        }
        if (key.Length > 0 && Validation.CheckId("agreement id", key) is { } invalid)
        {
            return Problems.BadRequest(invalid);
        }
        var now = Clock.Now(exchange.Time);
        return await PutDocumentAsync(org, id, kind, key, resource, JsonSerializer.Serialize(stamp(value!, now), type), now, http, exchange);
    }

    private static async Task<IResult> PutPolicyAsync(string org, string id, HttpContext http, ExchangeServices exchange)
    {
        var (_, refused) = await AuthorizeAsync(org, id, write: true, http, exchange);
        if (refused is not null)
        {
            return refused;
        }
        var (policy, problem) = await JsonBody.ReadElementAsync(http.Request);
        if (problem is not null)
        {
            return problem;
        }
        try
        {
            Horizon.Patterns.Validation.ModelValidation.EnsureValid(Horizon.Patterns.Json.ModelJson.ParseNodePolicy(policy.GetRawText()));
        }
        catch (Horizon.Patterns.Validation.ModelFormatException e)
        {
            return Problems.BadRequest($"invalid node policy: {e.Message}");
        }
        return await PutDocumentAsync(org, id, AttachmentKinds.NodePolicy, "", "nodepolicy", policy.GetRawText(), Clock.Now(exchange.Time), http, exchange);
    }

    private static async Task<IResult> PutDocumentAsync(string org, string id, string kind, string key, string resource, string document, string now,
        HttpContext http, ExchangeServices exchange)
    {
        // The caller was authorized before its body was read.
        var result = await exchange.Attachments.PutAsync(
            new AttachmentRecord { Kind = kind, Org = org, Parent = id, Key = key, Document = document, LastUpdated = now },
            new ChangeIntent(org, resource, id, "modified"), http.RequestAborted);
        return Outcomes.Of(result, exchange, $"{resource} of node {org}/{id}", "");
    }

    private static async Task<IResult> DeleteAsync(string org, string id, string kind, string key, string resource, HttpContext http, ExchangeServices exchange)
    {
        var (_, problem) = await AuthorizeAsync(org, id, write: true, http, exchange);
        if (problem is not null)
        {
            return problem;
        }
        var result = await exchange.Attachments.DeleteAsync(kind, org, id, key, new ChangeIntent(org, resource, id, "deleted"), http.RequestAborted);
        return Outcomes.Of(result, exchange, $"{resource} of node {org}/{id}", "");
    }

    private static async Task<IResult> ListAgreementsAsync(string org, string id, HttpContext http, ExchangeServices exchange)
    {
        var (_, problem) = await AuthorizeAsync(org, id, write: false, http, exchange);
        if (problem is not null)
        {
            return problem;
        }
        var rows = await exchange.Attachments.ListAsync(AttachmentKinds.NodeAgreement, org, id, http.RequestAborted);
        return TypedResults.Ok(rows.Select(r => JsonSerializer.Deserialize(r.Document, ExchangeJsonContext.Default.NodeAgreement)!).ToList());
    }
}
