namespace Horizon.FleetSim.Nodes;

/// <summary>What the simulator learns from its nodes; called from many threads.</summary>
internal interface INodeObserver
{
    /// <summary>The node's registration reached the exchange.</summary>
    void Registered(int index);

    /// <summary>The agbot's replyack arrived and the node's workload was started (on the recording engine).</summary>
    void WorkloadStarted(int index, string agreementId);

    /// <summary>The node declined a proposal.</summary>
    void Declined(int index, int reason);

    /// <summary>The node sent the agbot a cancel of an agreement it gave up on.</summary>
    void CancelSent(int index, int reason);

    /// <summary>Something in the node's simulation failed (registration refused, mailbox session error).</summary>
    void Failed(int index, string message);

    /// <summary>The node answered an agreement update (upgrade) with its outcome.</summary>
    void UpdateReplied(int index, bool accepted, int reason);

    /// <summary>
    /// A later agreement of the node started its workload: its first agreement ended (cancelled by
    /// either side) and the agbot negotiated a new one, with the version the pattern selects now.
    /// </summary>
    void ReplacedAgreementStarted(int index, string agreementId);

    /// <summary>A healthy node's workload was started again for an agreement already running: a duplicate start.</summary>
    void StartedTwice(int index, string agreementId);

    /// <summary>A node whose process was killed and started again runs <paramref name="agreementId"/> already (its engine kept it).</summary>
    void Resumed(int index, string agreementId);

    /// <summary>The node unregistered (its agreements cancelled, its exchange record deleted) and stopped.</summary>
    void Left(int index);

    /// <summary>The node's mailbox handled envelope <paramref name="envelopeId"/> (and recorded it in its replay window).</summary>
    void Handled(int index, string envelopeId);
}
