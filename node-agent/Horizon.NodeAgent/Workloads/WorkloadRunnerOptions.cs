namespace Horizon.NodeAgent.Workloads;

/// <summary>How the runner creates networks and containers. Immutable; adjust with <c>with { … }</c>.</summary>
public sealed record WorkloadRunnerOptions
{
    public static WorkloadRunnerOptions Default { get; } = new();

    /// <summary>
    /// Create service networks with <c>--internal</c> (no route off the machine). Off by default,
    /// because workloads usually need to reach the outside; tests and closed sites turn it on.
    /// </summary>
    public bool InternalNetworks { get; init; }

    /// <summary>Extra labels put on every container and network (e.g. a test run's sweep label).</summary>
    public IReadOnlyDictionary<string, string> ExtraLabels { get; init; } = new Dictionary<string, string>();

    /// <summary>Grace period between SIGTERM and SIGKILL when a workload is stopped.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a dependency with a healthcheck may take to report healthy before the agreement is
    /// given up (108) instead of starting its dependents (<c>NodeAgent:ReadinessTimeout</c>).
    /// </summary>
    public TimeSpan ReadinessTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How often a dependency's health is looked at while it starts.</summary>
    public TimeSpan ReadinessPoll { get; init; } = TimeSpan.FromMilliseconds(500);
}
