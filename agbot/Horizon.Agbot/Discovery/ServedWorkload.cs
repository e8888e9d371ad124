using Horizon.Patterns.Model;

namespace Horizon.Agbot.Discovery;

/// <summary>Whether a workload comes from a pattern or a deployment policy.</summary>
public enum WorkloadSource
{
    Pattern,
    Policy,
}

/// <summary>
/// One top-level service the agbot deploys to the nodes of <see cref="NodeOrg"/>: a pattern's
/// service entry or a deployment policy's service, with its versions by priority.
/// </summary>
public sealed record ServedWorkload
{
    public required WorkloadSource Kind { get; init; }

    public required string SourceOrg { get; init; }

    public required string SourceName { get; init; }

    public required string NodeOrg { get; init; }

    public required string ServiceOrg { get; init; }

    public required string ServiceUrl { get; init; }

    /// <summary>The arch the entry deploys; <c>*</c> or empty for any.</summary>
    public string ServiceArch { get; init; } = "";

    public IReadOnlyList<WorkloadVersion> Versions { get; init; } = [];

    public NodeHealth? NodeHealth { get; init; }

    public IReadOnlyList<ServiceUserInput> UserInput { get; init; } = [];

    public Pattern? Pattern { get; init; }

    public DeploymentPolicy? Policy { get; init; }

    /// <summary><c>org/name</c> of the pattern or policy.</summary>
    public string Source => $"{SourceOrg}/{SourceName}";

    /// <summary>What "one live agreement per node and workload" is keyed by.</summary>
    public string Key => $"{(Kind == WorkloadSource.Pattern ? "pattern" : "policy")}:{Source}:{ServiceOrg}/{ServiceUrl}";
}
