using System.Text;
using Horizon.Agbot.Governance;
using Horizon.Agbot.Hosting;
using Horizon.Agbot.Storage;
using Horizon.Agbot.Telemetry;
using Horizon.Agreements;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Mailboxes;

namespace Horizon.Agbot.Negotiation;

/// <summary>
/// The agbot side of the Basic protocol: proposal → reply → replyack, cancels both ways, verify.
/// Each state change is committed to the <see cref="IAgreementStore"/> together with the message
/// it implies (the record's <see cref="AgreementRecord.Pending"/>), then the message is sent and
/// the pending mark cleared. A crash at any point leaves a record that <see cref="ResumeAsync"/>
/// completes, and the store's uniqueness rule keeps one live agreement per node and workload.
/// </summary>
public sealed partial class AgreementNegotiator(
    IAgreementStore store,
    Mailbox mailbox,
    NegotiationBacklog queue,
    ExchangeAgreementRecorder recorder,
    Upgrades.RolloutSignal rolloutSignal,
    AgbotOptions options,
    TimeProvider time,
    ILogger<AgreementNegotiator> logger)
{
    /// <summary>Cancelled when the agbot stops; delayed renegotiations end with it.</summary>
    public CancellationToken Stopping { get; set; } = CancellationToken.None;

    /// <summary>
    /// Records and sends a proposal. Returns the agreement, or null when the node already has a live
    /// agreement for the workload (nothing is sent then).
    /// </summary>
    /// <exception cref="Horizon.Switchboard.Messaging.MessagingException">The mailbox did not take the message; the record stays pending and is sent again by the governor once <see cref="AgbotOptions.ResendAfter"/> old (or on resume).</exception>
    public async Task<AgreementRecord?> ProposeAsync(AgreementRecord draft, AgreementTerms terms, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(terms);
        var id = AgreementId.New();
        var proposal = new Proposal { AgreementId = id, Terms = terms };
        var now = time.GetUtcNow();
        var record = draft with
        {
            Id = id,
            State = AgreementState.Proposed,
            Pending = PendingMessage.Proposal,
            Agbot = options.Identity,
            ProposalJson = Encoding.UTF8.GetString(AgreementCodec.Encode(proposal)),
            CreatedAt = now,
            UpdatedAt = now,
            ReplyDeadline = now + options.ReplyTimeout,
        };
        if (!await store.TryInsertAsync(record, cancellationToken))
        {
            LogAlreadyLive(record.Node, record.Workload);
            return null;
        }
        try
        {
            await SendAsync(record, proposal, PendingMessage.Proposal, cancellationToken);
        }
        catch (MailboxException e)
        {
            // The node cannot be written to (its keys are gone or not yet there): a proposal never
            // sent is no agreement, so it is withdrawn rather than left to time out into a 201 and
            // a retry wait. The node change that registers the keys brings the node back.
            await store.TryDeleteUnsentAsync(id, cancellationToken);
            LogWithdrawn(id, record.Node, e.Message);
            return null;
        }
        LogProposed(id, record.Node, record.ServiceUrl, record.ServiceVersion, record.Source);
        AgbotMetrics.RecordProposal(record.Workload);
        return record;
    }

    /// <summary>
    /// Ends an agreement from the agbot's side with <paramref name="reason"/> (2xx) and tells the node.
    /// False when the agreement had already ended or moved on.
    /// </summary>
    public async Task<bool> CancelAsync(AgreementRecord agreement, CancelReason reason, string? message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        var now = time.GetUtcNow();
        // An unregistered node has no mailbox and no keys left to seal a cancel for: record it, send nothing.
        var tellNode = reason != CancelReason.NodeUnregistered;
        var cancelled = agreement with
        {
            State = AgreementState.Cancelled,
            Pending = tellNode ? PendingMessage.Cancel : PendingMessage.None,
            CancelReason = (int)reason,
            CancelMessage = message ?? CancelReasons.Describe((int)reason),
            CancelledAt = now,
            UpdatedAt = now,
        };
        if (!await store.TryTransitionAsync(agreement.State, cancelled, cancellationToken))
        {
            return false;
        }
        LogCancelled(agreement.Id, agreement.Node, (int)reason, cancelled.CancelMessage);
        AgbotMetrics.RecordCancel(byNode: false, (int)reason);
        if (tellNode)
        {
            await SendCancelAsync(cancelled, cancellationToken);
        }
        if (agreement.State == AgreementState.Finalized)
        {
            recorder.Remove(agreement.Id);
        }
        ScheduleRenegotiation(cancelled);
        return true;
    }

    /// <summary>Asks the node whether it still holds the agreement.</summary>
    public async Task VerifyAsync(AgreementRecord agreement, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        await store.SetVerifyAsync(agreement.Id, time.GetUtcNow(), null, cancellationToken);
        await mailbox.SendAsync(NodeOf(agreement), AgreementCodec.Encode(new VerifyAgreement { AgreementId = agreement.Id }), cancellationToken);
        LogVerifySent(agreement.Id, agreement.Node);
    }

    /// <summary>
    /// Sends the recorded cancel. A node that can no longer be written to (unregistered meanwhile)
    /// cannot be told: the cancel is marked done instead of being retried on every start.
    /// </summary>
    private async Task SendCancelAsync(AgreementRecord cancelled, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(cancelled, new CancelAgreement { AgreementId = cancelled.Id, Reason = cancelled.CancelReason ?? (int)CancelReason.AgbotRequested, Message = cancelled.CancelMessage },
                PendingMessage.Cancel, cancellationToken);
        }
        catch (MailboxException e)
        {
            await store.ClearPendingAsync(cancelled.Id, PendingMessage.Cancel, cancellationToken);
            LogCancelUndeliverable(cancelled.Id, cancelled.Node, e.Message);
        }
    }

    private async Task SendAsync(AgreementRecord agreement, AgreementMessage message, PendingMessage pending, CancellationToken cancellationToken)
    {
        await mailbox.SendAsync(NodeOf(agreement), AgreementCodec.Encode(message), cancellationToken);
        await store.ClearPendingAsync(agreement.Id, pending, cancellationToken);
    }

    private void ScheduleRenegotiation(AgreementRecord cancelled)
    {
        var delay = cancelled.CancelReason switch
        {
            (int)CancelReason.NoReply => TimeSpan.Zero, // The evaluator applies the backoff from the history.
            (int)CancelReason.NodeUnregistered => Timeout.InfiniteTimeSpan,
            _ => options.RenegotiateDelay,
        };
        if (delay == Timeout.InfiniteTimeSpan)
        {
            return;
        }
        var notBefore = cancelled.CancelReason switch
        {
            (int)CancelReason.NoReply => options.RetryBackoff,
            (int)CancelReason.NegativeReply => options.NegativeReplyRetry,
            _ => delay,
        };
        queue.EnqueueLater(new NodeWork(cancelled.NodeOrg, cancelled.NodeId, cancelled.Workload, $"renegotiate after {cancelled.CancelReason}", AnyInstance: true), notBefore, Stopping);
    }

    private static PartyAddress NodeOf(AgreementRecord agreement) => PartyAddress.Node(agreement.NodeOrg, agreement.NodeId);
}
