using System.Text;
using Horizon.Agbot.Storage;
using Horizon.Agreements;
using Horizon.Switchboard.Mailboxes;

namespace Horizon.Agbot.Negotiation;

public sealed partial class AgreementNegotiator
{
    /// <summary>
    /// Set once the start-up resume is done. Work that sends messages on its own (rollouts) waits
    /// for it, so a message being sent is never also resent as a leftover.
    /// </summary>
    public bool HasResumed
    {
        get => Volatile.Read(ref _hasResumed);
        set => Volatile.Write(ref _hasResumed, value);
    }

    private bool _hasResumed;

    /// <summary>
    /// Completes what a crash or a failed send interrupted: every message recorded as pending (and
    /// chosen by <paramref name="include"/>) is sent now — a proposal still within its reply deadline,
    /// a reply ack (then the agreement is put in force), an update, a cancel. Proposals past their
    /// deadline are left to the governor, which cancels them (201). Returns how many messages were sent.
    /// </summary>
    /// <exception cref="Horizon.Switchboard.Messaging.MessagingException">NATS did not take a message; the ones before it were sent.</exception>
    public async Task<int> ResumeAsync(Func<AgreementRecord, bool>? include = null, CancellationToken cancellationToken = default)
    {
        var sent = 0;
        foreach (var agreement in await store.ListAsync(new AgreementQuery { PendingOnly = true, Limit = AgreementQuery.All }, cancellationToken))
        {
            if (include is not null && !include(agreement))
            {
                continue;
            }
            switch (agreement.Pending)
            {
                case PendingMessage.Proposal when agreement.State == AgreementState.Proposed && agreement.ReplyDeadline > time.GetUtcNow():
                    var proposal = AgreementCodec.Decode(Encoding.UTF8.GetBytes(agreement.ProposalJson));
                    try
                    {
                        await SendAsync(agreement, proposal, PendingMessage.Proposal, cancellationToken);
                    }
                    catch (MailboxException e)
                    {
                        // The node went away (or lost its keys) while the agbot was down: the proposal was never an agreement.
                        await store.TryDeleteUnsentAsync(agreement.Id, cancellationToken);
                        LogWithdrawn(agreement.Id, agreement.Node, e.Message);
                        continue;
                    }
                    break;
                case PendingMessage.ReplyAck when agreement.State == AgreementState.Accepted:
                    await FinalizeAsync(agreement, cancellationToken);
                    break;
                case PendingMessage.Update when agreement.State == AgreementState.Finalized && agreement.UpdateJson is not null:
                    await SendAsync(agreement, AgreementCodec.Decode(Encoding.UTF8.GetBytes(agreement.UpdateJson)), PendingMessage.Update, cancellationToken);
                    break;
                case PendingMessage.Cancel:
                    await SendCancelAsync(agreement, cancellationToken);
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
