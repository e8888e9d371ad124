namespace Horizon.Exchange.Client;

public sealed partial class ExchangeClient
{
    /// <summary>Adds an auto-approval rule (org admins only); it applies to requests submitted from now on.</summary>
    /// <exception cref="ExchangeException">409 when the name is taken, 400 when the rule matches on nothing or its approval is invalid.</exception>
    public Task<EnrollmentRule> AddEnrollmentRuleAsync(string org, EnrollmentRule rule, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, Path("orgs", org, "enrollmentrules"), Body(rule, Json.EnrollmentRule), Json.EnrollmentRule, cancellationToken);

    /// <summary>The org's auto-approval rules, by name (org admins only).</summary>
    public Task<IReadOnlyList<EnrollmentRule>> ListEnrollmentRulesAsync(string org, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Path("orgs", org, "enrollmentrules"), null, Json.IReadOnlyListEnrollmentRule, cancellationToken);

    /// <summary>Removes an auto-approval rule (org admins only).</summary>
    public Task RemoveEnrollmentRuleAsync(string org, string name, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, Path("orgs", org, "enrollmentrules", name), null, cancellationToken);
}
