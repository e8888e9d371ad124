namespace Horizon.Exchange.Client;

/// <summary>
/// Where an agbot's rollouts stand, and how many agreements it holds per workload and state
/// (<c>/orgs/{org}/agbots/{id}/rollouts</c>): written by the agbot when either changes, read by the
/// console's overview, so that it need not fetch every agreement record to count them. One document per agbot.
/// </summary>
public sealed record AgbotRollouts
{
    public IReadOnlyList<AgbotRollout> Rollouts { get; init; } = [];
    /// <summary>The agbot's agreements counted by workload and state (cancelled ones included); null from an agbot that does not count.</summary>
    public IReadOnlyList<AgbotAgreementCount>? Agreements { get; init; }
    public string? LastUpdated { get; init; }
}

/// <summary>One rollout: a workload moving to <see cref="Version"/>, with the outcomes of its batches so far.</summary>
public sealed record AgbotRollout
{
    /// <summary><c>pattern:org/name:org/service-url</c> or <c>policy:org/name:org/service-url</c>.</summary>
    public string? Workload { get; init; }
    public string? Version { get; init; }
    /// <summary><c>running</c>, <c>completed</c> or <c>stopped</c> (a batch fell below the success threshold).</summary>
    public string? State { get; init; }
    /// <summary>The batch in progress, from 1 (one past the last when the rollout completed).</summary>
    public int Batch { get; init; }
    /// <summary>Agreements of every batch so far by the outcome of their update.</summary>
    public long Pending { get; init; }
    public long Accepted { get; init; }
    public long Refused { get; init; }
    public long TimedOut { get; init; }
    /// <summary>Agreements rolled back, being rolled back or whose rollback failed.</summary>
    public long RolledBack { get; init; }
    public string? UpdatedAt { get; init; }
}

/// <summary>How many of an agbot's agreements of one workload are in one state.</summary>
public sealed record AgbotAgreementCount
{
    /// <summary><c>pattern:org/name:org/service-url</c> or <c>policy:org/name:org/service-url</c>.</summary>
    public string? Workload { get; init; }
    /// <summary>The agbot's agreement state, lowercase (<c>proposed</c>, <c>finalized</c>, <c>cancelled</c>, ...).</summary>
    public string? State { get; init; }
    public long Count { get; init; }
}
