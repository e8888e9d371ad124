using System.Runtime.CompilerServices;
using Horizon.Nats;
using Horizon.Nats.JetStream;
using Horizon.Switchboard.Envelopes;
using Horizon.Switchboard.Telemetry;
using Microsoft.Extensions.Logging;

namespace Horizon.Switchboard.Mailboxes;

public sealed partial class Mailbox
{
    /// <summary>
    /// Pulls this party's inbox until cancelled, opens each envelope and calls <paramref name="handler"/>
    /// with it, one at a time in arrival order. Yields what became of every message:
    /// acknowledged only after the handler returned; on a handler exception sent back with an
    /// exponential backoff; after <see cref="MailboxOptions.MaxDeliveries"/> failed attempts terminated
    /// and recorded in the poison log; refused and replayed envelopes are terminated or dropped
    /// without reaching the handler. Connection failures pause the loop; they do not end it.
    /// </summary>
    public async IAsyncEnumerable<MailboxDelivery> ReceiveAsync(
        Func<OpenedEnvelope, CancellationToken, Task> handler,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var fetch = new NatsJSFetchOpts { MaxMsgs = options.FetchBatch, Expires = options.FetchExpires };
        while (!cancellationToken.IsCancellationRequested)
        {
            var batch = jetStream.FetchAsync(MailboxNames.Stream, Self.ConsumerName, fetch, cancellationToken);
            await using var messages = batch.GetAsyncEnumerator(cancellationToken);
            while (true)
            {
                NatsJSMsg message;
                var failed = false;
                try
                {
                    if (!await messages.MoveNextAsync())
                    {
                        break;
                    }
                    message = messages.Current;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    yield break;
                }
                catch (Exception e) when (e is NatsException or NatsJSException or IOException)
                {
                    LogFetchFailed(logger, Self, e.Message);
                    failed = true;
                    message = default;
                }
                if (failed)
                {
                    await PauseAsync(cancellationToken);
                    break;
                }
                var delivery = await DeliverAsync(message, handler, cancellationToken);
                MailboxMetrics.RecordDelivery(Self, delivery);
                yield return delivery;
            }
        }
    }

    private async Task<MailboxDelivery> DeliverAsync(NatsJSMsg message, Func<OpenedEnvelope, CancellationToken, Task> handler, CancellationToken cancellationToken)
    {
        var sequence = message.Metadata.StreamSequence;
        var attempt = (int)Math.Max(1, message.Metadata.NumDelivered);
        OpenedEnvelope envelope;
        try
        {
            envelope = await opener.OpenAsync(message.Data, cancellationToken);
        }
        catch (EnvelopeRejectedException refused) when (refused.Reason == EnvelopeRejection.Replayed)
        {
            await message.AckAsync(cancellationToken: cancellationToken);
            return new MailboxDelivery(DeliveryOutcome.Replayed, sequence, attempt, null, refused.Reason, refused);
        }
        catch (EnvelopeRejectedException refused)
        {
            // Redelivery cannot make a forged or expired envelope valid: take it out of the stream.
            await message.TermAsync(cancellationToken);
            return new MailboxDelivery(DeliveryOutcome.Refused, sequence, attempt, null, refused.Reason, refused);
        }
        try
        {
            await handler(envelope, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return await FailAsync(message, envelope, attempt, e, cancellationToken);
        }
        await opener.MarkHandledAsync(envelope, cancellationToken);
        // A plain ack: if it is lost, the redelivered copy meets the replay window and is dropped.
        await message.AckAsync(cancellationToken: cancellationToken);
        return new MailboxDelivery(DeliveryOutcome.Handled, sequence, attempt, envelope, null, null);
    }

    private async Task<MailboxDelivery> FailAsync(NatsJSMsg message, OpenedEnvelope envelope, int attempt, Exception error, CancellationToken cancellationToken)
    {
        var sequence = message.Metadata.StreamSequence;
        if (attempt >= options.MaxDeliveries)
        {
            await poisonLog.RecordAsync(Self, envelope, sequence, attempt, error, cancellationToken);
            await message.TermAsync(cancellationToken);
            LogPoisoned(logger, envelope.Id, envelope.From, attempt, error.Message);
            return new MailboxDelivery(DeliveryOutcome.Poisoned, sequence, attempt, envelope, null, error);
        }
        var delay = TimeSpan.FromTicks(Math.Min(options.MaxRetryBackoff.Ticks, options.RetryBackoff.Ticks << Math.Min(attempt - 1, 20)));
        await message.NakAsync(delay, cancellationToken);
        LogWillRetry(logger, envelope.Id, envelope.From, attempt, delay.TotalMilliseconds, error.Message);
        return new MailboxDelivery(DeliveryOutcome.WillRetry, sequence, attempt, envelope, null, error);
    }

    private async Task PauseAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(options.FetchErrorPause, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 6202, Level = LogLevel.Warning, Message = "Mailbox of {Party}: pull failed ({Error}); pulling again shortly")]
    private static partial void LogFetchFailed(ILogger logger, Addressing.PartyAddress party, string error);

    [LoggerMessage(EventId = 6203, Level = LogLevel.Warning, Message = "Envelope {EnvelopeId} from {Sender}: handler failed on attempt {Attempt}; redelivery in {DelayMs} ms: {Error}")]
    private static partial void LogWillRetry(ILogger logger, string envelopeId, Addressing.PartyAddress sender, int attempt, double delayMs, string error);

    [LoggerMessage(EventId = 6204, Level = LogLevel.Error, Message = "Envelope {EnvelopeId} from {Sender}: handler failed {Attempt} times; terminated and recorded as poison: {Error}")]
    private static partial void LogPoisoned(ILogger logger, string envelopeId, Addressing.PartyAddress sender, int attempt, string error);
}
