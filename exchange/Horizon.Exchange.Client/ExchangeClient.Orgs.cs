using System.Text;

namespace Horizon.Exchange.Client;

public sealed partial class ExchangeClient
{
    /// <summary>Creates or replaces an org (hub admin only).</summary>
    public Task PutOrgAsync(string org, ExchangeOrg value, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, Path("orgs", org), Body(value, Json.ExchangeOrg), cancellationToken);

    public Task<ExchangeOrg> GetOrgAsync(string org, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Path("orgs", org), null, Json.ExchangeOrg, cancellationToken);

    public Task<IReadOnlyList<ExchangeOrg>> ListOrgsAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "orgs", null, Json.IReadOnlyListExchangeOrg, cancellationToken);

    public Task DeleteOrgAsync(string org, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, Path("orgs", org), null, cancellationToken);

    /// <summary>Creates or replaces a user; <see cref="ExchangeUser.Password"/> is required on create.</summary>
    public Task PutUserAsync(string org, string username, ExchangeUser user, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, Path("orgs", org, "users", username), Body(user, Json.ExchangeUser), cancellationToken);

    public Task<ExchangeUser> GetUserAsync(string org, string username, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Path("orgs", org, "users", username), null, Json.ExchangeUser, cancellationToken);

    public Task<IReadOnlyList<ExchangeUser>> ListUsersAsync(string org, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Path("orgs", org, "users"), null, Json.IReadOnlyListExchangeUser, cancellationToken);

    public Task DeleteUserAsync(string org, string username, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, Path("orgs", org, "users", username), null, cancellationToken);

    /// <summary>Counts and schema version; any authenticated identity may ask.</summary>
    public Task<AdminStatus> GetStatusAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "admin/status", null, Json.AdminStatus, cancellationToken);

    /// <summary>The org's nodes by state, as far as the caller may see them.</summary>
    public Task<OrgStatus> GetOrgStatusAsync(string org, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Path("orgs", org, "status"), null, Json.OrgStatus, cancellationToken);

    /// <summary>The change feed of <paramref name="org"/> from <see cref="ChangesRequest.ChangeId"/> on.</summary>
    public Task<ChangesResponse> GetChangesAsync(string org, ChangesRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, Path("orgs", org, "changes"), Body(request, Json.ChangesRequest), Json.ChangesResponse, cancellationToken);

    /// <summary>Nodes registered to <paramref name="org"/>/<paramref name="pattern"/>, one page.</summary>
    public Task<NodeSearchResponse> SearchPatternNodesAsync(string org, string pattern, PatternSearchRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, Path("orgs", org, "patterns", pattern, "search"), Body(request, Json.PatternSearchRequest), Json.NodeSearchResponse, cancellationToken);

    /// <summary>Nodes whose policy is compatible with deployment policy <paramref name="policy"/>, one page.</summary>
    public Task<NodeSearchResponse> SearchPolicyNodesAsync(string org, string policy, PolicySearchRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, Path("orgs", org, "business", "policies", policy, "search"), Body(request, Json.PolicySearchRequest), Json.NodeSearchResponse, cancellationToken);

    /// <summary>Last heartbeat and agreements of the org's nodes, one page.</summary>
    public Task<NodeHealthResponse> SearchNodeHealthAsync(string org, NodeHealthRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, Path("orgs", org, "search", "nodehealth"), Body(request, Json.NodeHealthRequest), Json.NodeHealthResponse, cancellationToken);

    private static StringContent RawJson(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<string> GetRawAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(HttpMethod.Get, path, null, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }
}
