using Horizon.Agbot.Storage;
using Horizon.Agbot.Telemetry;
using Horizon.Agreements;
using Horizon.Hosting.Logging;
using Horizon.Switchboard.Addressing;

namespace Horizon.Agbot.Negotiation;

public sealed partial class AgreementNegotiator
{
    /// <summary>
    /// Acts on a message from a node. Messages about unknown agreements, or from a node other than
    /// the agreement's, are logged and dropped: redelivery would not make them valid.
    /// </summary>
    public async Task HandleAsync(PartyAddress from, AgreementMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(message);
        using var scope = logger.BeginAgreementScope(message.AgreementId);
        var agreement = await store.GetAsync(message.AgreementId, cancellationToken);
        if (agreement is null || from.Kind != PartyKind.Node || agreement.NodeOrg != from.Org || agreement.NodeId != from.Id)
        {
            LogForeign(message.AgreementId, from.ToString(), message.GetType().Name);
            return;
        }
        switch (message)
        {
            case ProposalReply reply:
                await OnReplyAsync(agreement, reply, cancellationToken);
                break;
            case CancelAgreement cancel:
                await OnNodeCancelAsync(agreement, cancel, cancellationToken);
                break;
            case VerifyAgreementReply verify:
                await OnVerifyReplyAsync(agreement, verify, cancellationToken);
                break;
            case UpdateAgreementReply update:
                await OnUpdateReplyAsync(agreement, update, cancellationToken);
                break;
            default:
                LogUnexpected(agreement.Id, message.GetType().Name);
                break;
        }
    }

    private async Task OnReplyAsync(AgreementRecord agreement, ProposalReply reply, CancellationToken cancellationToken)
    {
        if (agreement.State != AgreementState.Proposed)
        {
            // A reply after the proposal timed out (the node already has our 201) or a duplicate.
            LogLateReply(agreement.Id, agreement.State, reply.Decision);
            return;
        }
        var now = time.GetUtcNow();
        AgbotMetrics.RecordReply(reply.Decision);
        if (!reply.Decision)
        {
            var declined = agreement with
            {
                State = AgreementState.Cancelled,
                Pending = PendingMessage.None,
                CancelReason = (int)CancelReason.NegativeReply,
                CancelMessage = $"declined by the node: {reply.Reason?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no reason"} {reply.Message}".TrimEnd(),
                CancelledAt = now,
                UpdatedAt = now,
            };
            if (await store.TryTransitionAsync(AgreementState.Proposed, declined, cancellationToken))
            {
                LogDeclined(agreement.Id, agreement.Node, reply.Reason, reply.Message);
                AgbotMetrics.RecordCancel(byNode: false, (int)CancelReason.NegativeReply);
                ScheduleRenegotiation(declined);
            }
            return;
        }
        var accepted = agreement with { State = AgreementState.Accepted, Pending = PendingMessage.ReplyAck, UpdatedAt = now };
        if (!await store.TryTransitionAsync(AgreementState.Proposed, accepted, cancellationToken))
        {
            return;
        }
        await FinalizeAsync(accepted, cancellationToken);
    }

    /// <summary>Sends the reply ack of an accepted agreement and puts it in force.</summary>
    private async Task FinalizeAsync(AgreementRecord accepted, CancellationToken cancellationToken)
    {
        await mailbox.SendAsync(NodeOf(accepted), AgreementCodec.Encode(new ReplyAck { AgreementId = accepted.Id, Proceed = true }), cancellationToken);
        var now = time.GetUtcNow();
        var finalized = accepted with { State = AgreementState.Finalized, Pending = PendingMessage.None, FinalizedAt = now, VerifiedAt = now, UpdatedAt = now };
        if (await store.TryTransitionAsync(AgreementState.Accepted, finalized, cancellationToken))
        {
            LogFinalized(accepted.Id, accepted.Node, accepted.ServiceUrl, accepted.ServiceVersion, (now - accepted.CreatedAt).TotalMilliseconds);
            AgbotMetrics.RecordFinalized(now - accepted.CreatedAt);
            recorder.Record(finalized);
        }
    }

    private async Task OnNodeCancelAsync(AgreementRecord agreement, CancelAgreement cancel, CancellationToken cancellationToken)
    {
        if (!agreement.IsLive)
        {
            LogLateCancel(agreement.Id, cancel.Reason);
            return;
        }
        var now = time.GetUtcNow();
        var cancelled = agreement with
        {
            State = AgreementState.Cancelled,
            Pending = PendingMessage.None,
            CancelReason = cancel.Reason,
            CancelMessage = cancel.Message ?? CancelReasons.Describe(cancel.Reason),
            CancelledAt = now,
            UpdatedAt = now,
        };
        if (!await store.TryTransitionAsync(agreement.State, cancelled, cancellationToken))
        {
            return;
        }
        LogNodeCancelled(agreement.Id, agreement.Node, cancel.Reason, cancelled.CancelMessage);
        AgbotMetrics.RecordCancel(byNode: true, cancel.Reason);
        if (agreement.State == AgreementState.Finalized)
        {
            recorder.Remove(agreement.Id);
        }
        ScheduleRenegotiation(cancelled);
    }

    private async Task OnVerifyReplyAsync(AgreementRecord agreement, VerifyAgreementReply verify, CancellationToken cancellationToken)
    {
        if (agreement.State != AgreementState.Finalized)
        {
            return;
        }
        if (verify.Exists)
        {
            await store.SetVerifyAsync(agreement.Id, null, time.GetUtcNow(), cancellationToken);
            return;
        }
        await CancelAsync(agreement, CancelReason.AgreementMissingOnNode, null, cancellationToken);
    }
}
