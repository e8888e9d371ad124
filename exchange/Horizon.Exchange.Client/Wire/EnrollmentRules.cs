using System.Text.Json;

namespace Horizon.Exchange.Client;

/// <summary>
/// An org's auto-approval rule (<c>/orgs/{org}/enrollmentrules</c>): a new enrollment request that matches
/// every criterion given (<see cref="Arch"/>, <see cref="EnrollmentCertificate"/>, <see cref="MatchLabels"/>;
/// at least one) is approved at once, as if by an admin, into node <c>NodePrefix + machine id</c> with the
/// rule's pattern or policy and labels. The audit names the rule, its creator and when it was created.
/// </summary>
public sealed record EnrollmentRule
{
    public string? Name { get; init; }
    /// <summary>Matches requests whose <c>facts.arch</c> is this.</summary>
    public string? Arch { get; init; }
    /// <summary>Matches requests vouched for by the org's enrollment certificate of this name.</summary>
    public string? EnrollmentCertificate { get; init; }
    /// <summary>Matches requests whose <c>facts.labels</c> hold every one of these (labels the device declares).</summary>
    public IReadOnlyDictionary<string, string>? MatchLabels { get; init; }
    /// <summary>The approved node's id is this followed by the device's machine id.</summary>
    public string? NodePrefix { get; init; }
    public string? Pattern { get; init; }
    public JsonElement? Policy { get; init; }
    /// <summary>Labels the approved node's policy gets as properties.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
    public string? CreatedBy { get; init; }
    public string? CreatedAt { get; init; }
}
