using Horizon.Agbot.Hosting;
using Horizon.Agreements;
using Horizon.Switchboard.Envelopes;
using Horizon.Switchboard.Mailboxes;

namespace Horizon.Agbot.Negotiation;

/// <summary>
/// Reads the agbot's mailbox and hands each protocol message to the negotiator. A message is
/// passed (its position persisted) only after it was handled and its state change committed; a
/// failure hands it to the handler again. Malformed payloads are logged and passed: they never become valid.
/// </summary>
/// <remarks>
/// The mailbox hands up to <see cref="AgbotOptions.InboxConcurrency"/> messages to the handler at
/// once: one at a time, every reply waited for the previous one's store writes and replyack, and
/// replies fell behind a registration wave. Messages of one node still run one at a time
/// (<see cref="NodeLanes"/>).
/// </remarks>
public sealed partial class AgreementInbox(Mailbox mailbox, AgreementNegotiator negotiator, AgbotOptions options, ILogger<AgreementInbox> logger) : BackgroundService
{
    private readonly NodeLanes _lanes = new(Math.Max(64, options.InboxConcurrency * 8));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
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
