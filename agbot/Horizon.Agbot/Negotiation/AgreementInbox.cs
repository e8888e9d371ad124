using Horizon.Agreements;
using Horizon.Switchboard.Envelopes;
using Horizon.Switchboard.Mailboxes;

namespace Horizon.Agbot.Negotiation;

/// <summary>
/// Reads the agbot's mailbox and hands each protocol message to the negotiator. A message is
/// acknowledged only after it was handled and its state change committed; a failure sends it
/// back for redelivery. Malformed payloads are logged and acknowledged: they never become valid.
/// </summary>
public sealed partial class AgreementInbox(Mailbox mailbox, AgreementNegotiator negotiator, ILogger<AgreementInbox> logger) : BackgroundService
{
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
        await negotiator.HandleAsync(envelope.From, message, cancellationToken);
    }

    [LoggerMessage(EventId = 8401, Level = LogLevel.Warning, Message = "Envelope {EnvelopeId} from {Sender} is not a protocol message; dropped: {Error}")]
    private partial void LogMalformed(string envelopeId, string sender, string error);

    [LoggerMessage(EventId = 8402, Level = LogLevel.Warning, Message = "Mailbox message {Sequence}: {Outcome} ({Detail})")]
    private partial void LogNotHandled(DeliveryOutcome outcome, ulong sequence, string detail);
}
