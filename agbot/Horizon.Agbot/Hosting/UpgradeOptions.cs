namespace Horizon.Agbot.Hosting;

/// <summary>How agreements move to a newer workload version (<c>Agbot:Upgrades</c>, see docs/upgrades.md).</summary>
public sealed record UpgradeOptions
{
    /// <summary>Agreements updated at a time; the next batch starts when every update of this one has an outcome.</summary>
    public int BatchSize { get; set; } = 10;

    /// <summary>
    /// A batch as a percentage of the workload's agreements on this agbot (0 to 100; 0, the default,
    /// means <see cref="BatchSize"/> alone). The batch is the larger of the two, so 10 % of 10,000
    /// agreements moves them in 10 batches of 1,000 while a small fleet still gets <see cref="BatchSize"/>.
    /// </summary>
    public double BatchPercent { get; set; }

    /// <summary>Updates sent at the same time when a batch starts (each is stored, then sent).</summary>
    public int SendConcurrency { get; set; } = 16;

    /// <summary>The batch size for a workload with <paramref name="agreements"/> agreements on this agbot.</summary>
    public int BatchSizeFor(int agreements) =>
        Math.Max(BatchSize, (int)Math.Ceiling(agreements * BatchPercent / 100));

    /// <summary>The fraction of a batch that must accept; below it the batch is rolled back and the rollout stops.</summary>
    public double SuccessThreshold { get; set; } = 0.9;

    /// <summary>
    /// Wait before a rollback is sent again after the node refused it without a reason (it is still
    /// applying an earlier update) or left it unanswered, or after a late acceptance undid it; doubles per attempt.
    /// </summary>
    public TimeSpan RollbackRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Rollback sends per agreement before it counts as failed.</summary>
    public int RollbackAttempts { get; set; } = 8;
}
