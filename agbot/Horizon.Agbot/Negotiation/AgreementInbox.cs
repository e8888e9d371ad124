using Horizon.Agbot.Hosting;
using Horizon.Agreements;
using Horizon.Switchboard.Envelopes;
using Horizon.Switchboard.Mailboxes;

namespace Horizon.Agbot.Negotiation;

/// <summary>
/// Reads the agbot's mailbox and hands each protocol message to the negotiator. A message is
/// acknowledged only after it was handled and its state change committed; a failure sends it
/// back for redelivery. Malformed payloads are logged and acknowledged: they never become valid.
/// </summary>
/// <remarks>
/// <see cref="AgbotOptions.InboxConcurrency"/> pull loops share the one durable consumer. With a
/// single loop, every reply waited for the previous one's store writes and replyack; after a
/// registration wave a fetched batch of 64 then took longer than the pull's 10 s deadline, the
/// rest of the batch was abandoned unacknowledged and came back only after the consumer's 30 s
/// ack wait. Messages of one node still run one at a time (<see cref="NodeLanes"/>).
/// </remarks>
public sealed partial class AgreementInbox(Mailbox mailbox, AgreementNegotiator negotiator, AgbotOptions options, ILogger<AgreementInbox> logger) : BackgroundService
{
    private readonly NodeLanes _lanes = new(Math.Max(64, options.InboxConcurrency * 8));

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.InboxConcurrency).Select(_ => ReceiveAsync(stoppingToken)));

    private async Task ReceiveAsync(CancellationToken stoppingToken)
    {
        await foreach (var delivery in mailbox.ReceiveAsync(HandleAsync, stoppingToken))
        {
            if (delivery.Outcome is DeliveryOutcome.Refused or DeliveryOutcome.Poisoned)
            {
                LogNotHandled(delivery.Outcome, delivery.StreamSequence, delivery.Refusal?.ToString() ?? delivery.Error?.Message ?? "");
            }
        }
    }

    private async Task HandleAsync(OpenedEnvelope envelope, CancellationToken cancellationToken)
    {
        AgreementMessage message;
        try
        {
            message = AgreementCodec.Decode(envelope.Payload.Span);
        }
        catch (FormatException e)
        {
            LogMalformed(envelope.Id, envelope.From.ToString(), e.Message);
            return;
        }
        using (await _lanes.EnterAsync(envelope.From.ToString(), cancellationToken))
        {
            await negotiator.HandleAsync(envelope.From, message, cancellationToken);
        }
    }

    public override void Dispose()
    {
        _lanes.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 8401, Level = LogLevel.Warning, Message = "Envelope {EnvelopeId} from {Sender} is not a protocol message; dropped: {Error}")]
    private partial void LogMalformed(string envelopeId, string sender, string error);

    [LoggerMessage(EventId = 8402, Level = LogLevel.Warning, Message = "Mailbox message {Sequence}: {Outcome} ({Detail})")]
    private partial void LogNotHandled(DeliveryOutcome outcome, ulong sequence, string detail);
}
