namespace Horizon.Agbot.Storage;

/// <summary>How many of an agbot's agreements of <see cref="Workload"/> are in <see cref="State"/> (cancelled ones included).</summary>
public sealed record AgreementCount(string Workload, AgreementState State, long Count);

/// <summary>How many members of a rollout's batch have <see cref="Outcome"/>.</summary>
public sealed record RolloutMemberCount(string Workload, string Version, int Batch, UpdateOutcome Outcome, long Count);
