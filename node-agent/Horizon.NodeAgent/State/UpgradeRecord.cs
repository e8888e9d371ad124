using Horizon.Agreements;

namespace Horizon.NodeAgent.State;

/// <summary>The last update of one agreement, as the node keeps it until the next one.</summary>
/// <param name="ReplyTo">The agbot that sent the update, <c>org/id</c>; the reply goes there.</param>
/// <param name="OldTerms">The terms in force when the update arrived; what a rollback restores.</param>
/// <param name="Accepted">The outcome once <see cref="Step"/> is <see cref="UpgradeStep.Done"/>.</param>
/// <param name="Reason">The node-side reason code of a refusal or failed switch.</param>
/// <param name="ReplySent">Whether the <c>updatereply</c> was handed to the <see cref="NodeOutbox"/>.</param>
public sealed record UpgradeRecord(
    string AgreementId,
    string ReplyTo,
    AgreementTerms OldTerms,
    AgreementTerms NewTerms,
    UpgradeStep Step,
    bool Accepted,
    int? Reason,
    string? Message,
    bool ReplySent,
    DateTimeOffset Updated)
{
    /// <summary>The reply this outcome calls for.</summary>
    public UpdateAgreementReply ToReply() => new()
    {
        AgreementId = AgreementId,
        Accepted = Accepted,
        Reason = Accepted ? null : Reason,
        Message = Accepted ? null : Message,
    };
}
