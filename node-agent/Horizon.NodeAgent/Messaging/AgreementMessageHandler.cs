using System.Collections.Concurrent;
using Horizon.Agreements;
using Horizon.NodeAgent.Decisions;
using Horizon.NodeAgent.Hosting;
using Horizon.NodeAgent.Registration;
using Horizon.NodeAgent.State;
using Horizon.NodeAgent.Supervision;
using Horizon.NodeAgent.Upgrades;
using Horizon.NodeAgent.Workloads;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Envelopes;

namespace Horizon.NodeAgent.Messaging;

/// <summary>
/// The node's side of the agreement protocol for one opened envelope: proposal → decision and
/// its reply persisted together (the <see cref="NodeOutbox"/> sends it), replyack → the agreement
/// persisted as starting before the replyack is acknowledged, then pulled and started in the
/// background; cancel → teardown; verify → whether a persisted agreement is in force; update →
/// staged upgrade (<see cref="AgreementUpgrader"/>, its reply owed when it is done). A handler
/// exception sends the message back to the mailbox for a retry (e.g. the exchange is down while
/// the publisher keys are read); a message that can never be handled is logged and dropped.
/// </summary>
public sealed partial class AgreementMessageHandler(
    NodeAgentOptions options,
    NodeRuntimeInfo node,
    RegistrationStore registrations,
    ProposalStore proposals,
    AgreementStore agreements,
    AgreementLifecycle lifecycle,
    RegistryLogins logins,
    EventLog eventLog,
    NodeStatusSignal status,
    AgreementUpgrader upgrader,
    NodeOutbox outbox,
    ILogger<AgreementMessageHandler> logger,
    ParkingPoints? parking = null)
{
    private readonly ParkingPoints _parking = parking ?? ParkingPoints.None;
    private readonly ConcurrentDictionary<string, Task> _starting = new(StringComparer.Ordinal);

    /// <summary>Sends a protocol message to a party; the mailbox session supplies it.</summary>
    public delegate Task SendMessage(PartyAddress recipient, AgreementMessage message, CancellationToken cancellationToken);

    /// <summary>Handles one envelope; <paramref name="send"/> carries replies.</summary>
    public async Task HandleAsync(OpenedEnvelope envelope, PublisherKeyReader publisherKeys, SendMessage send, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(send);
        AgreementMessage message;
        try
        {
            message = AgreementCodec.Decode(envelope.Payload.Span);
        }
        catch (FormatException e)
        {
            // A retry cannot make a malformed message readable.
            Log.Unreadable(logger, envelope.Id, envelope.From.ToString(), e.Message);
            await eventLog.RecordAsync(null, "message.unreadable", $"{envelope.From}: {e.Message}", cancellationToken: cancellationToken);
            return;
        }
        if (envelope.From.Kind != PartyKind.Agbot)
        {
            Log.NotFromAgbot(logger, envelope.Id, envelope.From.ToString());
            return;
        }
        switch (message)
        {
            case Proposal proposal:
                await OnProposalAsync(envelope.From, proposal, publisherKeys, send, cancellationToken);
                break;
            case ReplyAck ack:
                await OnReplyAckAsync(envelope.From, ack, cancellationToken);
                break;
            case CancelAgreement cancel:
                await OnCancelAsync(envelope.From, cancel, cancellationToken);
                break;
            case VerifyAgreement verify:
                // Only an agreement the node persisted exists: an accepted proposal whose replyack
                // never arrived (or was lost in a crash) runs nothing, and the agbot must hear so.
                var exists = await agreements.GetAsync(verify.AgreementId, cancellationToken) is { IsActive: true } record
                    && (record.Terms.Agbot.Length == 0 || record.Terms.Agbot == envelope.From.Identity);
                await send(envelope.From, new VerifyAgreementReply { AgreementId = verify.AgreementId, Exists = exists }, cancellationToken);
                break;
            case UpdateAgreement update:
                await OnUpdateAsync(envelope.From, update, publisherKeys, send, cancellationToken);
                break;
            default:
                Log.Ignored(logger, message.GetType().Name, message.AgreementId);
                break;
        }
    }

    /// <summary>Waits for workloads started by replyacks so far (tests and shutdown).</summary>
    public Task WhenStartedAsync() => Task.WhenAll(_starting.Values);

    private async Task OnProposalAsync(PartyAddress from, Proposal proposal, PublisherKeyReader publisherKeys, SendMessage send, CancellationToken cancellationToken)
    {
        var terms = proposal.Terms;
        var keys = await publisherKeys.ReadWithRefusalsAsync(new[] { terms.Service }.Concat(terms.Dependencies), cancellationToken);
        var registration = registrations.Current;
        var context = new NodeDecisionContext(
            registration?.Pattern,
            node.Arch,
            registration?.AllowsPrivileged() ?? options.AllowPrivileged,
            service => keys.Keys.TryGetValue(service.Key, out var found) ? found : [],
            service => keys.Refusals.GetValueOrDefault(service.Key));
        var decision = ProposalEvaluator.Evaluate(proposal, context);
        var valid = AgreementId.IsValid(proposal.AgreementId);
        var step = new AgentEvent(valid ? proposal.AgreementId : null,
            decision.Accept ? "proposal.accepted" : "proposal.declined",
            $"from {from.Identity}: {decision.Message}", decision.Reason);
        Log.Decided(logger, proposal.AgreementId, decision.Accept, decision.Reason is { } r ? (int)r : 0, decision.Message);
        if (!valid)
        {
            // Nothing is kept of a proposal without a usable id; its refusal is answered at once.
            await eventLog.RecordAsync(step.AgreementId, step.Kind, step.Message, step.Reason, cancellationToken);
            await send(from, decision.ToReply(proposal.AgreementId), cancellationToken);
            return;
        }
        // The decision, its reply owed and its event-log step in one commit.
        await proposals.RecordAsync(proposal.AgreementId, from.Identity, terms, decision, step, cancellationToken);
        await _parking.ReachedAsync(ParkingPoints.ReplyPersisted);
        outbox.Ring();
    }

    // docs/upgrades.md, node side, steps 1–2 here; staging and switching run in the upgrader.
    private async Task OnUpdateAsync(PartyAddress from, UpdateAgreement update, PublisherKeyReader publisherKeys, SendMessage send, CancellationToken cancellationToken)
    {
        if (_starting.TryGetValue(update.AgreementId, out var starting))
        {
            // An update right behind the replyack applies to the started workload, not to a half-started one.
            await starting.WaitAsync(cancellationToken);
        }
        var screening = await upgrader.ScreenAsync(from.Identity, update, cancellationToken);
        if (screening.Reply is { } answer)
        {
            await outbox.AddAsync(from.Identity, answer, cancellationToken);
            return;
        }
        if (screening.Terms is not { } terms || screening.OldTerms is not { } oldTerms)
        {
            Log.UpdateUnderWay(logger, update.AgreementId);
            return;
        }
        var keys = await publisherKeys.ReadWithRefusalsAsync(new[] { terms.Service }.Concat(terms.Dependencies), cancellationToken);
        var context = new NodeDecisionContext(
            registrations.Current?.Pattern,
            node.Arch,
            registrations.Current?.AllowsPrivileged() ?? options.AllowPrivileged,
            service => keys.Keys.TryGetValue(service.Key, out var found) ? found : [],
            service => keys.Refusals.GetValueOrDefault(service.Key));
        var decision = ProposalEvaluator.Evaluate(new Proposal { AgreementId = update.AgreementId, Terms = terms }, context);
        if (!decision.Accept)
        {
            await outbox.AddAsync(from.Identity, await upgrader.RefusedAsync(update.AgreementId, decision.Reason, decision.Message, cancellationToken), cancellationToken);
            return;
        }
        await upgrader.BeginAsync(update.AgreementId, from.Identity, oldTerms, terms, cancellationToken);
    }

    private async Task OnReplyAckAsync(PartyAddress from, ReplyAck ack, CancellationToken cancellationToken)
    {
        if (!ack.Proceed)
        {
            await proposals.RemoveAsync(ack.AgreementId, cancellationToken);
            await eventLog.RecordAsync(ack.AgreementId, "proposal.withdrawn", $"{from.Identity} did not proceed", cancellationToken: cancellationToken);
            return;
        }
        if (await agreements.GetAsync(ack.AgreementId, cancellationToken) is not null || _starting.ContainsKey(ack.AgreementId))
        {
            // A duplicate replyack: the agreement is already under way (or resumed by the restore).
            return;
        }
        var terms = await proposals.GetAcceptedAsync(ack.AgreementId, from.Identity, cancellationToken);
        if (terms is null)
        {
            Log.UnknownReplyAck(logger, ack.AgreementId, from.ToString());
            await eventLog.RecordAsync(null, "replyack.unknown", $"{from.Identity} acknowledged {ack.AgreementId}, which this node never accepted", cancellationToken: cancellationToken);
            return;
        }
        // Persisted before the replyack is acknowledged (when this handler returns): a crash from
        // here on finds the agreement starting, and the restore brings it up. Cancelled before it is
        // stored, the handler throws and the replyack stays unacknowledged, to be delivered again.
        await lifecycle.AcceptAsync(ack.AgreementId, terms, cancellationToken);
        await _parking.ReachedAsync(ParkingPoints.AgreementPersisted);
        // Pulling images can outlast the mailbox's acknowledgement window, so only the pull and the
        // start run beside the receive loop; a failure is stored with the cancel the agbot is owed.
        _starting[ack.AgreementId] = Task.Run(async () =>
        {
            try
            {
                await lifecycle.StartAcceptedAsync(ack.AgreementId, terms, logins.Credentials, CancellationToken.None);
            }
#pragma warning disable CA1031 // The start runs detached; anything it throws must be logged, not lost.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Log.StartCrashed(logger, ack.AgreementId, e);
            }
            finally
            {
                status.Signal();
            }
        }, CancellationToken.None);
    }

    private async Task OnCancelAsync(PartyAddress from, CancelAgreement cancel, CancellationToken cancellationToken)
    {
        await proposals.RemoveAsync(cancel.AgreementId, cancellationToken);
        if (await agreements.GetAsync(cancel.AgreementId, cancellationToken) is not { } record)
        {
            return;
        }
        if (record.Terms.Agbot.Length > 0 && record.Terms.Agbot != from.Identity)
        {
            Log.ForeignCancel(logger, cancel.AgreementId, from.ToString());
            return;
        }
        if (_starting.TryGetValue(cancel.AgreementId, out var starting))
        {
            await starting.WaitAsync(cancellationToken);
        }
        var reason = Enum.IsDefined((CancelReason)cancel.Reason) ? (CancelReason)cancel.Reason : CancelReason.AgbotRequested;
        await lifecycle.CancelAsync(cancel.AgreementId, reason, cancel.Message, cancellationToken);
        _starting.TryRemove(cancel.AgreementId, out _);
        status.Signal();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9170, Level = LogLevel.Warning, Message = "Envelope {EnvelopeId} from {From} is not a protocol message: {Error}")]
        public static partial void Unreadable(ILogger logger, string envelopeId, string from, string error);

        [LoggerMessage(EventId = 9171, Level = LogLevel.Warning, Message = "Envelope {EnvelopeId} from {From} ignored: only agbots negotiate with a node")]
        public static partial void NotFromAgbot(ILogger logger, string envelopeId, string from);

        [LoggerMessage(EventId = 9172, Level = LogLevel.Information, Message = "Proposal {AgreementId}: accept {Accept} (reason {Reason}) {Message}")]
        public static partial void Decided(ILogger logger, string agreementId, bool accept, int reason, string message);

        [LoggerMessage(EventId = 9173, Level = LogLevel.Warning, Message = "Replyack for {AgreementId} from {From}: no accepted proposal")]
        public static partial void UnknownReplyAck(ILogger logger, string agreementId, string from);

        [LoggerMessage(EventId = 9174, Level = LogLevel.Error, Message = "Agreement {AgreementId}: starting the workload crashed")]
        public static partial void StartCrashed(ILogger logger, string agreementId, Exception error);

        [LoggerMessage(EventId = 9175, Level = LogLevel.Warning, Message = "Cancel of {AgreementId} from {From} ignored: another agbot made that agreement")]
        public static partial void ForeignCancel(ILogger logger, string agreementId, string from);

        [LoggerMessage(EventId = 9177, Level = LogLevel.Debug, Message = "Update of {AgreementId} repeated while it is under way; its one reply follows when it is done")]
        public static partial void UpdateUnderWay(ILogger logger, string agreementId);

        [LoggerMessage(EventId = 9176, Level = LogLevel.Debug, Message = "Ignored {Type} for {AgreementId}")]
        public static partial void Ignored(ILogger logger, string type, string agreementId);
    }
}
