namespace Horizon.Agbot.Storage;

/// <summary>Where an agreement stands. Proposed, Accepted and Finalized are live: a node holds at most one live agreement per workload.</summary>
public enum AgreementState
{
    /// <summary>The proposal is recorded (and sent, unless <see cref="AgreementRecord.Pending"/> says otherwise); no reply yet.</summary>
    Proposed,

    /// <summary>The node said yes; the reply ack is recorded and being sent.</summary>
    Accepted,

    /// <summary>The reply ack went out: the agreement is in force and governed.</summary>
    Finalized,

    /// <summary>Ended; <see cref="AgreementRecord.CancelReason"/> says why.</summary>
    Cancelled,
}

/// <summary>A protocol message recorded with a state change but not yet confirmed sent (a transactional outbox of one).</summary>
public enum PendingMessage
{
    None,
    Proposal,
    ReplyAck,
    Cancel,
    /// <summary>The update in <see cref="AgreementRecord.UpdateJson"/>.</summary>
    Update,
}
