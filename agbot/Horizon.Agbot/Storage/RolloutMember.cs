namespace Horizon.Agbot.Storage;

/// <summary>What became of one agreement's update in a rollout.</summary>
public enum UpdateOutcome
{
    /// <summary>The update is recorded (and sent, unless the agreement still has it pending); no answer yet.</summary>
    Pending,
    Accepted,
    Refused,

    /// <summary>No answer within the reply timeout; counted as a failure.</summary>
    TimedOut,

    /// <summary>The agreement ended during the update; counted neither way.</summary>
    Gone,

    /// <summary>The batch failed: the old terms are being sent back.</summary>
    RollingBack,
    RolledBack,

    /// <summary>The node refused or did not answer the rollback.</summary>
    RollbackFailed,
}

/// <summary>One agreement in a rollout batch, with the terms it had before, for a rollback.</summary>
public sealed record RolloutMember
{
    public required string Agbot { get; init; }

    public required string Workload { get; init; }

    public required string Version { get; init; }

    public required string AgreementId { get; init; }

    public int Batch { get; init; }

    public UpdateOutcome Outcome { get; init; }

    public required string OldVersion { get; init; }

    /// <summary>The proposal (AgreementCodec JSON) whose terms were in force before the update.</summary>
    public required string OldProposalJson { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>
    /// Sends that did not count: rollback updates the node refused without a reason (busy) or left
    /// unanswered, and updates its agent's stop interrupted (116, sent again while <see cref="UpdateOutcome.Pending"/>).
    /// </summary>
    public int RollbackAttempts { get; init; }

    /// <summary>While <see cref="UpdateOutcome.RollingBack"/> or <see cref="UpdateOutcome.Pending"/>: the update is not (re)sent before this time.</summary>
    public DateTimeOffset? RetryAt { get; init; }
}
