namespace Horizon.Agbot.Storage;

/// <summary>
/// One agreement as the agbot keeps it. <see cref="Workload"/> names what the agreement is for
/// (pattern or policy plus top-level service), so "one live agreement per node and workload" is a
/// uniqueness rule the store enforces.
/// </summary>
public sealed record AgreementRecord
{
    public required string Id { get; init; }

    public required string NodeOrg { get; init; }

    public required string NodeId { get; init; }

    /// <summary>The workload key, see <c>ServedWorkload.Key</c>.</summary>
    public required string Workload { get; init; }

    /// <summary><c>org/pattern</c> or <c>org/policy</c>.</summary>
    public required string Source { get; init; }

    public required string ServiceOrg { get; init; }

    public required string ServiceUrl { get; init; }

    public required string ServiceVersion { get; init; }

    public required string Arch { get; init; }

    public AgreementState State { get; init; }

    public PendingMessage Pending { get; init; }

    /// <summary>The agbot (<c>org/id</c>) that negotiated it.</summary>
    public string Agbot { get; init; } = "";

    /// <summary>The proposal as sent (AgreementCodec JSON), so a resumed agbot can resend it.</summary>
    public string ProposalJson { get; init; } = "";

    public int? CancelReason { get; init; }

    public string? CancelMessage { get; init; }

    public int MissingHeartbeatInterval { get; init; }

    public int CheckAgreementStatus { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When a proposal still without reply is given up (cancel 201).</summary>
    public DateTimeOffset? ReplyDeadline { get; init; }

    public DateTimeOffset? FinalizedAt { get; init; }

    public DateTimeOffset? CancelledAt { get; init; }

    /// <summary>When the last verify went out; cleared when the node answered.</summary>
    public DateTimeOffset? VerifySentAt { get; init; }

    /// <summary>When the node last confirmed it still holds the agreement.</summary>
    public DateTimeOffset? VerifiedAt { get; init; }

    /// <summary>The version an update in flight moves to; null when no update is in flight.</summary>
    public string? UpdateVersion { get; init; }

    /// <summary>The update in flight as sent (AgreementCodec JSON), so a resumed agbot can resend it.</summary>
    public string? UpdateJson { get; init; }

    /// <summary>The rollout the update in flight belongs to (<see cref="RolloutRecord.Key"/>).</summary>
    public string? UpdateRollout { get; init; }

    /// <summary>When an update without reply counts as failed.</summary>
    public DateTimeOffset? UpdateDeadline { get; init; }

    /// <summary>
    /// Updates that got no reply in time but that the node may still be applying (<see cref="UnansweredUpdate"/>,
    /// JSON, oldest first); null when none. A late reply is matched against them, since a reply carries no terms.
    /// </summary>
    public string? UnansweredJson { get; init; }

    /// <summary>An update of the agreement's terms is in flight.</summary>
    public bool IsUpdating => UpdateVersion is not null;

    /// <summary>
    /// False when listed <see cref="AgreementQuery.WithoutDocuments"/>: the documents are empty, so the
    /// record must be read again (<see cref="IAgreementStore.GetAsync"/>) before it is written back.
    /// </summary>
    public bool HasDocuments { get; init; } = true;

    public bool IsLive => State != AgreementState.Cancelled;

    /// <summary>The node as <c>org/id</c>.</summary>
    public string Node => $"{NodeOrg}/{NodeId}";
}
