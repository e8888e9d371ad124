using Horizon.Agreements;

namespace Horizon.NodeAgent.Decisions;

/// <summary>The node's answer to a proposal: accept, or decline with a reason code and why.</summary>
public sealed record ProposalDecision(bool Accept, CancelReason? Reason, string Message)
{
    public static ProposalDecision Accepted { get; } = new(true, null, "accepted");

    public static ProposalDecision Decline(CancelReason reason, string message) => new(false, reason, message);

    /// <summary>The reply to send for this decision.</summary>
    public ProposalReply ToReply(string agreementId) => new()
    {
        AgreementId = agreementId,
        Decision = Accept,
        Reason = Reason is { } r ? (int)r : null,
        Message = Accept ? null : Message,
    };
}
