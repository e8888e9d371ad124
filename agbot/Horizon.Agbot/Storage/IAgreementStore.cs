namespace Horizon.Agbot.Storage;

/// <summary>
/// The agbot's durable record of agreements. Every state change is written (and committed) before
/// the protocol message that follows it goes out, so a restarted agbot knows exactly what it said.
/// Implementations: <see cref="SqliteAgreementStore"/> (default) and <see cref="PostgresAgreementStore"/>.
/// </summary>
public interface IAgreementStore : IAsyncDisposable
{
    /// <summary>Creates the schema when absent.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a new agreement. Returns false, writing nothing, when the node already has a live
    /// agreement for the same workload (or the id is taken).
    /// </summary>
    Task<bool> TryInsertAsync(AgreementRecord agreement, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the mutable fields of <paramref name="updated"/> if the stored agreement is still in
    /// state <paramref name="expected"/>; false when it is not (another transition won).
    /// </summary>
    Task<bool> TryTransitionAsync(AgreementState expected, AgreementRecord updated, CancellationToken cancellationToken = default);

    /// <summary>Removes a proposal that was recorded but never sent; false when it was sent or moved on meanwhile.</summary>
    Task<bool> TryDeleteUnsentAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Marks the pending message sent, if it is still the one pending.</summary>
    Task ClearPendingAsync(string id, PendingMessage sent, CancellationToken cancellationToken = default);

    /// <summary>Records verify bookkeeping without a state change.</summary>
    Task SetVerifyAsync(string id, DateTimeOffset? sentAt, DateTimeOffset? verifiedAt, CancellationToken cancellationToken = default);

    Task<AgreementRecord?> GetAsync(string id, CancellationToken cancellationToken = default);

    Task<AgreementRecord?> GetLiveAsync(string nodeOrg, string nodeId, string workload, CancellationToken cancellationToken = default);

    /// <summary>Matching agreements, newest first.</summary>
    Task<IReadOnlyList<AgreementRecord>> ListAsync(AgreementQuery query, CancellationToken cancellationToken = default);

    Task SaveCompatibilityAsync(NodeCompatibility verdict, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<NodeCompatibility>> ListCompatibilityAsync(string nodeOrg, string nodeId, CancellationToken cancellationToken = default);

    /// <summary>A named position (e.g. the change feed's next change id); 0 when never set.</summary>
    Task<long> GetCursorAsync(string name, CancellationToken cancellationToken = default);

    Task SetCursorAsync(string name, long value, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes the update fields, terms, version and pending mark of <paramref name="updated"/> if the
    /// stored agreement is finalized and its update in flight is still <paramref name="expectedUpdateVersion"/>
    /// (null: none in flight); false when another change won.
    /// </summary>
    Task<bool> TryChangeUpdateAsync(string? expectedUpdateVersion, AgreementRecord updated, CancellationToken cancellationToken = default);

    /// <summary>The rollout of <paramref name="version"/> for <paramref name="workload"/> by <paramref name="agbot"/>, or null.</summary>
    Task<RolloutRecord?> GetRolloutAsync(string agbot, string workload, string version, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<RolloutRecord>> ListRolloutsAsync(string agbot, CancellationToken cancellationToken = default);

    /// <summary>Creates the rollout or replaces its state and batch.</summary>
    Task SaveRolloutAsync(RolloutRecord rollout, CancellationToken cancellationToken = default);

    /// <summary>Adds the member or replaces its outcome.</summary>
    Task SaveRolloutMemberAsync(RolloutMember member, CancellationToken cancellationToken = default);

    /// <summary>One member of the rollout, or null when the agreement is not in it.</summary>
    Task<RolloutMember?> GetRolloutMemberAsync(string agbot, string workload, string version, string agreementId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every member of the rollout, by batch. <paramref name="withoutOldProposals"/> leaves
    /// <see cref="RolloutMember.OldProposalJson"/> empty for passes over every member (saving such a
    /// member keeps the stored one; read it with <see cref="GetRolloutMemberAsync"/> to roll back).
    /// </summary>
    Task<IReadOnlyList<RolloutMember>> ListRolloutMembersAsync(string agbot, string workload, string version, bool withoutOldProposals = false, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes or renews the lease <paramref name="name"/> for <paramref name="holder"/> until
    /// <paramref name="expiresAt"/>: succeeds when it is free, already the holder's, or expired at
    /// <paramref name="now"/>; false when another holder's lease is still running.
    /// </summary>
    Task<bool> TryAcquireLeaseAsync(string name, string holder, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken = default);

    /// <summary>Gives the lease up, if <paramref name="holder"/> still has it.</summary>
    Task ReleaseLeaseAsync(string name, string holder, CancellationToken cancellationToken = default);

    /// <summary>Agreements of <paramref name="agbot"/> by workload and state, for metrics and status.</summary>
    Task<IReadOnlyList<AgreementCount>> CountAgreementsAsync(string agbot, CancellationToken cancellationToken = default);

    /// <summary>Rollout members of <paramref name="agbot"/> by rollout, batch and outcome.</summary>
    Task<IReadOnlyList<RolloutMemberCount>> CountRolloutMembersAsync(string agbot, CancellationToken cancellationToken = default);

    /// <summary>Every lease, expired or not.</summary>
    Task<IReadOnlyList<LeaseRecord>> ListLeasesAsync(CancellationToken cancellationToken = default);
}
