using System.Text;
using Horizon.Agbot.Storage;
using Horizon.Agreements;

namespace Horizon.Agbot.Negotiation;

public sealed partial class AgreementNegotiator
{
    /// <summary>
    /// Completes what a crash interrupted: every message recorded as pending is sent now — a
    /// proposal still within its reply deadline, a reply ack (then the agreement is put in force),
    /// a cancel. Proposals past their deadline are left to the governor, which cancels them (201).
    /// Returns how many messages were sent.
    /// </summary>
    public async Task<int> ResumeAsync(CancellationToken cancellationToken = default)
    {
        var sent = 0;
        foreach (var agreement in await store.ListAsync(new AgreementQuery { PendingOnly = true }, cancellationToken))
        {
            switch (agreement.Pending)
            {
                case PendingMessage.Proposal when agreement.State == AgreementState.Proposed && agreement.ReplyDeadline > time.GetUtcNow():
                    var proposal = AgreementCodec.Decode(Encoding.UTF8.GetBytes(agreement.ProposalJson));
                    await SendAsync(agreement, proposal, PendingMessage.Proposal, cancellationToken);
                    break;
                case PendingMessage.ReplyAck when agreement.State == AgreementState.Accepted:
                    await FinalizeAsync(agreement, cancellationToken);
                    break;
                case PendingMessage.Update when agreement.State == AgreementState.Finalized && agreement.UpdateJson is not null:
                    await SendAsync(agreement, AgreementCodec.Decode(Encoding.UTF8.GetBytes(agreement.UpdateJson)), PendingMessage.Update, cancellationToken);
                    break;
                case PendingMessage.Cancel:
                    await SendAsync(agreement, new CancelAgreement { AgreementId = agreement.Id, Reason = agreement.CancelReason ?? (int)CancelReason.AgbotRequested, Message = agreement.CancelMessage }, PendingMessage.Cancel, cancellationToken);
                    break;
                default:
                    continue;
            }
            sent++;
            LogResumed(agreement.Id, agreement.Node, agreement.Pending);
        }
        return sent;
    }
}
