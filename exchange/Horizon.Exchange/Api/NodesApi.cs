using Horizon.Exchange.Auth;
using Horizon.Exchange.Client;
using Horizon.Exchange.Storage;

namespace Horizon.Exchange.Api;

/// <summary><c>/v1/orgs/{org}/nodes</c>: registration, partial update, heartbeat, listing.</summary>
internal static class NodesApi
{
    private static readonly ApiResponse Beat = new() { Code = "ok", Msg = "heartbeat successful" };

    public static RouteGroupBuilder MapNodesApi(this RouteGroupBuilder v1)
    {
        var nodes = v1.MapGroup("/orgs/{org}/nodes").WithTags("Nodes");
        nodes.MapGet("/", ListAsync).Produces<IReadOnlyList<ExchangeNode>>();
        nodes.MapGet("/{id}", GetAsync).Produces<ExchangeNode>();
        nodes.MapPut("/{id}", PutAsync).Accepts<ExchangeNode>("application/json").Produces<ApiResponse>(201);
        nodes.MapPatch("/{id}", PatchAsync).Accepts<NodePatch>("application/json").Produces<ApiResponse>();
        nodes.MapDelete("/{id}", DeleteAsync);
        nodes.MapPost("/{id}/heartbeat", HeartbeatAsync).Produces<ApiResponse>();
        nodes.MapNodeAttachmentsApi();
        return v1;
    }

    private static async Task<IResult> ListAsync(string org, string? cursor, int? limit, HttpContext http, ExchangeServices exchange)
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
            return Problems.Forbidden($"{caller} may not list the nodes of org {org}");
        }
        var position = Cursor.Decode(cursor, 1);
        if (position is null)
        {
            return Problems.BadRequest("the cursor is malformed; pass back the X-Next-Cursor value of the previous page");
        }
        var (size, badSize) = Paging.Size("limit", limit ?? 0, exchange);
        if (badSize is not null)
        {
            return badSize;
        }
        var rows = await exchange.Nodes.ListAsync(org, owner, position[0], size, http.RequestAborted);
        if (rows.Count == size)
        {
            http.Response.Headers[ExchangeClient.NextCursorHeader] = Cursor.Encode(rows[^1].Id);
        }
        return TypedResults.Ok(rows.Select(NodeMapping.ToWire).ToList());
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NoWrites(Caller caller, string org) => Problems.Forbidden($"{caller} may not change nodes of org {org}");

    private static async Task<IResult> GetAsync(string org, string id, HttpContext http, ExchangeServices exchange)
    {
        var caller = http.Caller();
        if (!await NodeAccess.MayReadInAsync(caller, org, exchange, http.RequestAborted))
        {
            return Problems.Forbidden($"{caller} may not read nodes of org {org}");
        }
        var row = await exchange.Nodes.GetAsync(org, id, http.RequestAborted);
        if (row is null)
        {
            return Problems.NotFound($"node {org}/{id} not found");
        }
        return await NodeAccess.CanReadAsync(caller, org, row, exchange, http.RequestAborted)
            ? TypedResults.Ok(NodeMapping.ToWire(row))
            : Problems.Forbidden($"{caller} may not read node {org}/{id}");
    }

    private static async Task<IResult> PutAsync(string org, string id, HttpContext http, ExchangeServices exchange)
    {
        if (!NodeAccess.MayWriteIn(http.Caller(), org))
        {
            return NoWrites(http.Caller(), org);
        }
        var (node, problem) = await JsonBody.ReadAsync<ExchangeNode>(http.Request);
        return problem ?? await SaveAsync(org, id, node!, http, exchange);
    }

    private static async Task<IResult> PatchAsync(string org, string id, HttpContext http, ExchangeServices exchange)
    {
        if (!NodeAccess.MayWriteIn(http.Caller(), org))
        {
            return NoWrites(http.Caller(), org);
        }
        var (patch, problem) = await JsonBody.ReadAsync<NodePatch>(http.Request);
        if (problem is not null)
        {
            return problem;
        }
        var existing = await exchange.Nodes.GetAsync(org, id, http.RequestAborted);
        if (existing is null)
        {
            return Problems.NotFound($"node {org}/{id} not found");
        }
        return await SaveAsync(org, id, NodeMapping.Apply(NodeMapping.ToWire(existing), patch!), http, exchange);
    }

    private static async Task<IResult> SaveAsync(string org, string id, ExchangeNode node, HttpContext http, ExchangeServices exchange)
    {
        var caller = http.Caller();
        var invalid = Validation.CheckId("node id", id)
            ?? Validation.CheckIdentityKey("publicKey", node.PublicKey)
            ?? Validation.CheckEncryptionKey("encryptionKey", node.EncryptionKey)
            ?? (node.Pattern is { Length: > 0 } p && p.Split('/').Length != 2 ? $"pattern '{p}' must read org/pattern" : null);
        if (invalid is not null)
        {
            return Problems.BadRequest(invalid);
        }
        // Both reads at once (two round trips in parallel on PostgreSQL). One read of the org serves
        // both the existence check and its node cap.
        var existingRead = exchange.Nodes.GetAsync(org, id, http.RequestAborted);
        var orgRead = exchange.Identities.GetOrgAsync(org, http.RequestAborted);
        var existing = await existingRead;
        var orgRow = await orgRead;
        string owner;
        if (existing is not null)
        {
            if (!NodeAccess.CanWrite(caller, org, existing))
            {
                return Problems.Forbidden($"{caller} may not change node {org}/{id}");
            }
            owner = existing.Owner;
        }
        else
        {
            if (!(caller.IsUser && (caller.Org == org || caller.IsHubAdmin)))
            {
                return Problems.Forbidden($"{caller} may not register nodes in org {org}");
            }
            if (string.IsNullOrEmpty(node.Token))
            {
                return Problems.BadRequest("a new node needs a token");
            }
            if (orgRow is null)
            {
                return Problems.NotFound($"org {org} not found");
            }
            owner = caller.FullId;
        }
        var limit = OrgLimits.MaxNodes(orgRow, exchange);
        var result = await exchange.Nodes.SaveAsync(new NodeRecord
        {
            Org = org,
            Id = id,
            Owner = owner,
            TokenHash = string.IsNullOrEmpty(node.Token) ? "" : exchange.Hasher.HashMachineToken(node.Token),
            Name = node.Name ?? "",
            NodeType = node.NodeType ?? "device",
            Pattern = node.Pattern ?? "",
            Arch = node.Arch ?? "",
            PublicKey = node.PublicKey ?? "",
            EncryptionKey = node.EncryptionKey ?? "",
            Document = NodeMapping.Document(node),
            LastUpdated = Clock.Now(exchange.Time),
        }, limit, http.RequestAborted);
        if (!string.IsNullOrEmpty(node.Token))
        {
            exchange.Verifier.Forget(org, id);
        }
        if (result.Succeeded && caller.Kind == CallerKind.Node && caller.Org == org && caller.Id == id)
        {
            // A node writing its own record is alive: that is its first heartbeat, so an agent that just
            // registered need not send one in a request of its own (one request fewer per agreement).
            exchange.Nodes.RecordHeartbeat(org, id, exchange.Time.GetUtcNow().ToUnixTimeMilliseconds());
        }
        return Outcomes.Of(result, exchange, $"node {org}/{id}",
            "a registered key of the node differs from the one given; keys are never replaced silently — delete the node and register it again to change them");
    }

    private static async Task<IResult> DeleteAsync(string org, string id, HttpContext http, ExchangeServices exchange)
    {
        var caller = http.Caller();
        if (!NodeAccess.MayWriteIn(caller, org))
        {
            return NoWrites(caller, org);
        }
        var existing = await exchange.Nodes.GetAsync(org, id, http.RequestAborted);
        if (existing is null)
        {
            return Problems.NotFound($"node {org}/{id} not found");
        }
        if (!NodeAccess.CanWrite(caller, org, existing))
        {
            return Problems.Forbidden($"{caller} may not delete node {org}/{id}");
        }
        var result = await exchange.Nodes.DeleteAsync(org, id, http.RequestAborted);
        exchange.Verifier.Forget(org, id);
        return Outcomes.Of(result, exchange, $"node {org}/{id}", "");
    }

    private static async Task<IResult> HeartbeatAsync(string org, string id, HttpContext http, ExchangeServices exchange)
    {
        var caller = http.Caller();
        // The common case, a node beating for itself, needs no read before the write.
        if (!(caller.Kind == CallerKind.Node && caller.Org == org && caller.Id == id))
        {
            if (!NodeAccess.MayWriteIn(caller, org))
            {
                return NoWrites(caller, org);
            }
            var existing = await exchange.Nodes.GetAsync(org, id, http.RequestAborted);
            if (existing is null)
            {
                return Problems.NotFound($"node {org}/{id} not found");
            }
            if (!NodeAccess.CanWrite(caller, org, existing))
            {
                return Problems.Forbidden($"{caller} may not heartbeat node {org}/{id}");
            }
        }
        // The node exists: it just authenticated (or was read above). The beat is written with others
        // by the next flush; reads on this exchange see it at once.
        exchange.Nodes.RecordHeartbeat(org, id, exchange.Time.GetUtcNow().ToUnixTimeMilliseconds());
        return TypedResults.Ok(Beat);
    }
}
