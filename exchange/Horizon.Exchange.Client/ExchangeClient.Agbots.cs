namespace Horizon.Exchange.Client;

public sealed partial class ExchangeClient
{
    /// <summary>Creates or replaces an agbot; a registered key is never replaced (409).</summary>
    public Task PutAgbotAsync(string org, string id, ExchangeAgbot agbot, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, Path("orgs", org, "agbots", id), Body(agbot, Json.ExchangeAgbot), cancellationToken);

    public Task<ExchangeAgbot> GetAgbotAsync(string org, string id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Path("orgs", org, "agbots", id), null, PartyJson.ExchangeAgbot, cancellationToken);

    public Task<IReadOnlyList<ExchangeAgbot>> ListAgbotsAsync(string org, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Path("orgs", org, "agbots"), null, Json.IReadOnlyListExchangeAgbot, cancellationToken);

    public Task DeleteAgbotAsync(string org, string id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, Path("orgs", org, "agbots", id), null, cancellationToken);

    public Task HeartbeatAgbotAsync(string org, string id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, Path("orgs", org, "agbots", id, "heartbeat"), null, cancellationToken);

    /// <summary>Adds a served pattern; returns it with its id.</summary>
    public Task<AgbotPattern> AddAgbotPatternAsync(string org, string id, AgbotPattern pattern, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, Path("orgs", org, "agbots", id, "patterns"), Body(pattern, Json.AgbotPattern), Json.AgbotPattern, cancellationToken);

    public Task<IReadOnlyList<AgbotPattern>> ListAgbotPatternsAsync(string org, string id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Path("orgs", org, "agbots", id, "patterns"), null, Json.IReadOnlyListAgbotPattern, cancellationToken);

    public Task DeleteAgbotPatternAsync(string org, string id, string patternId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, Path("orgs", org, "agbots", id, "patterns", patternId), null, cancellationToken);

    /// <summary>Adds a served deployment policy; returns it with its id.</summary>
    public Task<AgbotBusinessPolicy> AddAgbotBusinessPolicyAsync(string org, string id, AgbotBusinessPolicy policy, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, Path("orgs", org, "agbots", id, "businesspols"), Body(policy, Json.AgbotBusinessPolicy), Json.AgbotBusinessPolicy, cancellationToken);

    public Task<IReadOnlyList<AgbotBusinessPolicy>> ListAgbotBusinessPoliciesAsync(string org, string id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Path("orgs", org, "agbots", id, "businesspols"), null, Json.IReadOnlyListAgbotBusinessPolicy, cancellationToken);

    public Task DeleteAgbotBusinessPolicyAsync(string org, string id, string policyId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, Path("orgs", org, "agbots", id, "businesspols", policyId), null, cancellationToken);

    public Task PutAgbotAgreementAsync(string org, string id, string agreementId, AgbotAgreement agreement, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, Path("orgs", org, "agbots", id, "agreements", agreementId), Body(agreement, Json.AgbotAgreement), cancellationToken);

    public Task<IReadOnlyList<AgbotAgreement>> ListAgbotAgreementsAsync(string org, string id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Path("orgs", org, "agbots", id, "agreements"), null, Json.IReadOnlyListAgbotAgreement, cancellationToken);

    /// <summary>Replaces the agbot's rollout report (<c>PUT /orgs/{org}/agbots/{id}/rollouts</c>).</summary>
    public Task PutAgbotRolloutsAsync(string org, string id, AgbotRollouts rollouts, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, Path("orgs", org, "agbots", id, "rollouts"), Body(rollouts, Json.AgbotRollouts), cancellationToken);

    public Task<AgbotRollouts> GetAgbotRolloutsAsync(string org, string id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Path("orgs", org, "agbots", id, "rollouts"), null, Json.AgbotRollouts, cancellationToken);

    public Task DeleteAgbotAgreementAsync(string org, string id, string agreementId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, Path("orgs", org, "agbots", id, "agreements", agreementId), null, cancellationToken);

    /// <summary>
    /// Grants agbot <paramref name="agbotOrg"/>/<paramref name="agbotId"/> the nodes of <paramref name="nodeOrg"/>
    /// (<c>PUT /orgs/{nodeOrg}/agbotgrants/{agbotOrg}/{agbotId}</c>); only an admin of <paramref name="nodeOrg"/> or a hub admin may.
    /// </summary>
    public Task GrantAgbotAsync(string nodeOrg, string agbotOrg, string agbotId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, Path("orgs", nodeOrg, "agbotgrants", agbotOrg, agbotId), null, cancellationToken);

    /// <summary>Withdraws a grant; the agbot loses the org's nodes at once in the exchange, and its NATS rights at the switchboard's next read.</summary>
    public Task RevokeAgbotGrantAsync(string nodeOrg, string agbotOrg, string agbotId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, Path("orgs", nodeOrg, "agbotgrants", agbotOrg, agbotId), null, cancellationToken);

    public Task<AgbotGrant> GetAgbotGrantAsync(string nodeOrg, string agbotOrg, string agbotId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Path("orgs", nodeOrg, "agbotgrants", agbotOrg, agbotId), null, Json.AgbotGrant, cancellationToken);

    /// <summary>Every grant <paramref name="nodeOrg"/> gave.</summary>
    public Task<IReadOnlyList<AgbotGrant>> ListAgbotGrantsAsync(string nodeOrg, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Path("orgs", nodeOrg, "agbotgrants"), null, Json.IReadOnlyListAgbotGrant, cancellationToken);
}
