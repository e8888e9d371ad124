namespace Horizon.Exchange.Client;

public sealed partial class ExchangeClient
{
    /// <summary>Creates or replaces a node (<c>PUT /orgs/{org}/nodes/{id}</c>); a registered key is never replaced (409).</summary>
    public Task PutNodeAsync(string org, string id, ExchangeNode node, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, Path("orgs", org, "nodes", id), Body(node, PartyJson.ExchangeNode), cancellationToken);

    /// <summary>Changes only the fields given (<c>PATCH /orgs/{org}/nodes/{id}</c>).</summary>
    public Task PatchNodeAsync(string org, string id, NodePatch patch, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Patch, Path("orgs", org, "nodes", id), Body(patch, PartyJson.NodePatch), cancellationToken);

    public Task<ExchangeNode> GetNodeAsync(string org, string id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Path("orgs", org, "nodes", id), null, PartyJson.ExchangeNode, cancellationToken);

    /// <summary>One page of the org's nodes visible to this identity.</summary>
    public async Task<(IReadOnlyList<ExchangeNode> Nodes, string? NextCursor)> ListNodesAsync(string org, string? cursor = null, int limit = 1000, CancellationToken cancellationToken = default) =>
        await SendPagedAsync(Page(Path("orgs", org, "nodes"), cursor, limit), PartyJson.IReadOnlyListExchangeNode, cancellationToken);

    public Task DeleteNodeAsync(string org, string id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, Path("orgs", org, "nodes", id), null, cancellationToken);

    /// <summary>Records that the node is alive (<c>POST /orgs/{org}/nodes/{id}/heartbeat</c>).</summary>
    public Task HeartbeatNodeAsync(string org, string id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, Path("orgs", org, "nodes", id, "heartbeat"), null, cancellationToken);

    public Task PutNodeStatusAsync(string org, string id, NodeStatus status, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, Path("orgs", org, "nodes", id, "status"), Body(status, PartyJson.NodeStatus), cancellationToken);

    public Task<NodeStatus> GetNodeStatusAsync(string org, string id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Path("orgs", org, "nodes", id, "status"), null, PartyJson.NodeStatus, cancellationToken);

    public Task PutNodeErrorsAsync(string org, string id, NodeErrors errors, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, Path("orgs", org, "nodes", id, "errors"), Body(errors, PartyJson.NodeErrors), cancellationToken);

    public Task<NodeErrors> GetNodeErrorsAsync(string org, string id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Path("orgs", org, "nodes", id, "errors"), null, PartyJson.NodeErrors, cancellationToken);

    /// <summary>Stores the node policy document (Open Horizon's node.policy.json shape) as given.</summary>
    public Task PutNodePolicyJsonAsync(string org, string id, string policyJson, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, Path("orgs", org, "nodes", id, "policy"), RawJson(policyJson), cancellationToken);

    /// <summary>The node policy document as stored.</summary>
    public Task<string> GetNodePolicyJsonAsync(string org, string id, CancellationToken cancellationToken = default) =>
        GetRawAsync(Path("orgs", org, "nodes", id, "policy"), cancellationToken);

    public Task PutNodeAgreementAsync(string org, string id, string agreementId, NodeAgreement agreement, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, Path("orgs", org, "nodes", id, "agreements", agreementId), Body(agreement, PartyJson.NodeAgreement), cancellationToken);

    public Task<IReadOnlyList<NodeAgreement>> ListNodeAgreementsAsync(string org, string id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Path("orgs", org, "nodes", id, "agreements"), null, PartyJson.IReadOnlyListNodeAgreement, cancellationToken);

    public Task DeleteNodeAgreementAsync(string org, string id, string agreementId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, Path("orgs", org, "nodes", id, "agreements", agreementId), null, cancellationToken);

    private static string Page(string path, string? cursor, int limit) =>
        cursor is null ? $"{path}?limit={limit}" : $"{path}?limit={limit}&cursor={Uri.EscapeDataString(cursor)}";
}
