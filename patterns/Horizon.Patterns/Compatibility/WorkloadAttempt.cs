namespace Horizon.Patterns.Compatibility;

/// <summary>A failed attempt to run a workload version on a node (an agreement cancelled for a workload fault).</summary>
public sealed record WorkloadAttempt(string Version, DateTimeOffset FailedAt);
