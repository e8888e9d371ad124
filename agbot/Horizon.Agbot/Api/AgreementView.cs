namespace Horizon.Agbot.Api;

/// <summary>An agreement as the local API shows it.</summary>
public sealed record AgreementView
{
    public required string Id { get; init; }
    public required string Node { get; init; }
    public required string Workload { get; init; }
    public required string Source { get; init; }
    public required string Service { get; init; }
    public required string Version { get; init; }
    /// <summary><c>negotiating</c>, <c>active</c> or <c>cancelled</c>.</summary>
    public required string Status { get; init; }
    public required string State { get; init; }
    public int? CancelReason { get; init; }
    public string? CancelMessage { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? FinalizedAt { get; init; }
    public DateTimeOffset? CancelledAt { get; init; }
}

/// <summary>What the agbot serves.</summary>
public sealed record ServedView
{
    public IReadOnlyList<string> Patterns { get; init; } = [];
    public IReadOnlyList<string> Policies { get; init; } = [];
    public IReadOnlyList<string> Workloads { get; init; } = [];
}

/// <summary>Whether a node can run each served workload of its org, and why not.</summary>
public sealed record DeployCheckView
{
    public required string Node { get; init; }
    public IReadOnlyList<DeployCheckEntry> Workloads { get; init; } = [];
}

public sealed record DeployCheckEntry
{
    public required string Workload { get; init; }
    public bool Compatible { get; init; }
    public IReadOnlyList<string> Reasons { get; init; } = [];
}
