namespace Horizon.Agbot.Hosting;

/// <summary>How agreements move to a newer workload version (<c>Agbot:Upgrades</c>, see docs/upgrades.md).</summary>
public sealed record UpgradeOptions
{
    /// <summary>Agreements updated at a time; the next batch starts when every update of this one has an outcome.</summary>
    public int BatchSize { get; init; } = 10;

    /// <summary>The fraction of a batch that must accept; below it the batch is rolled back and the rollout stops.</summary>
    public double SuccessThreshold { get; init; } = 0.9;

    /// <summary>
    /// Wait before a rollback is sent again after the node refused it without a reason (it is still
    /// applying an earlier update) or left it unanswered, or after a late acceptance undid it; doubles per attempt.
    /// </summary>
    public TimeSpan RollbackRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Rollback sends per agreement before it counts as failed.</summary>
    public int RollbackAttempts { get; init; } = 8;
}
