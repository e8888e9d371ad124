namespace Horizon.Agbot.Storage;

/// <summary>Where the move of one agbot's agreements of a workload to one version stands.</summary>
public enum RolloutState
{
    /// <summary>Batches are being sent.</summary>
    Running,

    /// <summary>No agreement is left to move; reopened when a new candidate appears.</summary>
    Completed,

    /// <summary>A batch fell below the success threshold and was rolled back; nothing more moves to this version.</summary>
    Stopped,
}

/// <summary>
/// The rollout of <see cref="Version"/> to the agreements <see cref="Agbot"/> holds for
/// <see cref="Workload"/>. <see cref="Batch"/> is the batch in progress (from 1); its members are
/// the <see cref="RolloutMember"/>s with that batch number.
/// </summary>
public sealed record RolloutRecord
{
    public required string Agbot { get; init; }

    public required string Workload { get; init; }

    public required string Version { get; init; }

    public RolloutState State { get; init; }

    public int Batch { get; init; } = 1;

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>What an agreement's <see cref="AgreementRecord.UpdateRollout"/> names.</summary>
    public string Key => KeyOf(Workload, Version);

    public static string KeyOf(string workload, string version) => $"{workload}@{version}";
}
