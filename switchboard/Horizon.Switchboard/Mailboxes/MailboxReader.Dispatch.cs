using Horizon.Switchboard.Envelopes;
using Microsoft.Extensions.Logging;

namespace Horizon.Switchboard.Mailboxes;

internal sealed partial class MailboxReader
{
    /// <summary>
    /// Hands message <paramref name="sequence"/> to a handler slot (waiting for one when all are
    /// busy) and marks it dispatched; the cursor follows when it and every message before it finished.
    /// </summary>
    private async Task DispatchAsync(ulong sequence, byte[] data, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        var position = MailboxCursor.At(sequence, data);
        lock (_inFlight)
        {
            _inFlight[sequence] = new InFlight(position);
        }
        _dispatched = position;
        var task = Task.Run(() => DeliverAsync(sequence, position, data, cancellationToken), CancellationToken.None);
        lock (_running)
        {
            _running.RemoveAll(t => t.IsCompleted);
            _running.Add(task);
        }
        if (_options.Concurrency <= 1)
        {
            await task;
        }
    }

    private bool IsInFlight(ulong sequence)
    {
        lock (_inFlight)
        {
            return _inFlight.ContainsKey(sequence);
        }
    }

    private async Task DeliverAsync(ulong sequence, MailboxCursor position, byte[] data, CancellationToken cancellationToken)
    {
        try
        {
            var delivery = await OpenAndHandleAsync(sequence, data, cancellationToken);
            if (delivery is null)
            {
                return;
            }
            await _deliveries.WriteAsync(delivery, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the cursor stays before this message, which comes again next time.
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Opens, hands to the handler with retries, and persists the outcome; null when stopped midway.</summary>
    private async Task<MailboxDelivery?> OpenAndHandleAsync(ulong sequence, byte[] data, CancellationToken cancellationToken)
    {
        var deferrals = 0;
        for (var attempt = 1; ; attempt++)
        {
            OpenedEnvelope envelope;
            try
            {
                envelope = await _opener.OpenAsync(data, cancellationToken);
            }
            catch (EnvelopeRejectedException refused)
            {
                await CompleteAsync(sequence, null, default, cancellationToken);
                return new MailboxDelivery(refused.Reason == EnvelopeRejection.Replayed ? DeliveryOutcome.Replayed : DeliveryOutcome.Refused,
                    sequence, attempt, null, refused.Reason, refused);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The sender's key could not be looked up (the exchange is down): this says nothing
                // about the message, so it is tried again without counting towards poison.
                await _deliveries.WriteAsync(new MailboxDelivery(DeliveryOutcome.WillRetry, sequence, attempt, null, null, e), cancellationToken);
                LogOpenFailed(_logger, _self, sequence, e.Message);
                await Task.Delay(Backoff(attempt), _time, cancellationToken);
                attempt--;
                continue;
            }
            // A slot freed while stopping can still be taken by the next message: it must not be
            // acted on then, or more than Concurrency messages run again after the restart.
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await _handler(envelope, cancellationToken);
            }
            catch (MessageDeferredException deferred) when (!cancellationToken.IsCancellationRequested)
            {
                // The handler's own trouble (a full disk), not the message's: counted as no attempt, so
                // it is never poison for it, and tried again every few seconds at most until it passes.
                deferrals++;
                var pause = TimeSpan.FromTicks(Math.Min(_options.MaxErrorPause.Ticks, _options.RetryBackoff.Ticks << Math.Min(deferrals - 1, 20)));
                LogDeferred(_logger, envelope.Id, envelope.From, deferrals, pause.TotalMilliseconds, deferred.Message);
                await _deliveries.WriteAsync(new MailboxDelivery(DeliveryOutcome.WillRetry, sequence, attempt, envelope, null, deferred), cancellationToken);
                await Task.Delay(pause, _time, cancellationToken);
                attempt--;
                continue;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                if (attempt >= _options.MaxDeliveries)
                {
                    await _poisonLog.RecordAsync(_self, envelope, sequence, attempt, e, cancellationToken);
                    await CompleteAsync(sequence, envelope, envelope.Expires, cancellationToken);
                    LogPoisoned(_logger, envelope.Id, envelope.From, attempt, e.Message);
                    return new MailboxDelivery(DeliveryOutcome.Poisoned, sequence, attempt, envelope, null, e);
                }
                var delay = Backoff(attempt);
                LogWillRetry(_logger, envelope.Id, envelope.From, attempt, delay.TotalMilliseconds, e.Message);
                await _deliveries.WriteAsync(new MailboxDelivery(DeliveryOutcome.WillRetry, sequence, attempt, envelope, null, e), cancellationToken);
                await Task.Delay(delay, _time, cancellationToken);
                continue;
            }
            await CompleteAsync(sequence, envelope, envelope.Expires, cancellationToken);
            return new MailboxDelivery(DeliveryOutcome.Handled, sequence, attempt, envelope, null, null);
        }
    }

    private TimeSpan Backoff(int attempt) =>
        TimeSpan.FromTicks(Math.Min(_options.MaxRetryBackoff.Ticks, _options.RetryBackoff.Ticks << Math.Min(attempt - 1, 20)));

    /// <summary>
    /// Persists the end of one message: its envelope id (when it was handled or given up on) and,
    /// in the same transaction, the cursor past every message up to the first one still running.
    /// Serialized, so the cursor only moves forward.
    /// </summary>
    private async Task CompleteAsync(ulong sequence, OpenedEnvelope? envelope, DateTimeOffset expires, CancellationToken cancellationToken)
    {
        await _persist.WaitAsync(cancellationToken);
        try
        {
            MailboxCursor? cursor = null;
            lock (_inFlight)
            {
                _inFlight[sequence] = _inFlight[sequence] with { Done = true };
                while (_inFlight.Count > 0)
                {
                    var (lowest, entry) = _inFlight.First();
                    if (!entry.Done)
                    {
                        break;
                    }
                    cursor = entry.Position;
                    _inFlight.Remove(lowest);
                }
            }
            if (envelope is not null)
            {
                await _journal.RecordHandledAsync(_self, envelope.Id, expires, cursor, cancellationToken);
            }
            else if (cursor is { } moved)
            {
                await _journal.AdvanceAsync(_self, moved, cancellationToken);
            }
        }
        finally
        {
            _persist.Release();
        }
    }

    private sealed record InFlight(MailboxCursor Position, bool Done = false);

    [LoggerMessage(EventId = 6203, Level = LogLevel.Warning, Message = "Envelope {EnvelopeId} from {Sender}: handler failed on attempt {Attempt}; again in {DelayMs} ms: {Error}")]
    private static partial void LogWillRetry(ILogger logger, string envelopeId, Addressing.PartyAddress sender, int attempt, double delayMs, string error);

    [LoggerMessage(EventId = 6204, Level = LogLevel.Error, Message = "Envelope {EnvelopeId} from {Sender}: handler failed {Attempt} times; recorded as poison and skipped: {Error}")]
    private static partial void LogPoisoned(ILogger logger, string envelopeId, Addressing.PartyAddress sender, int attempt, string error);

    [LoggerMessage(EventId = 6210, Level = LogLevel.Warning, Message = "Envelope {EnvelopeId} from {Sender}: deferred by its handler ({Deferrals} time(s) so far, not counted towards poison); again in {DelayMs} ms: {Reason}")]
    private static partial void LogDeferred(ILogger logger, string envelopeId, Addressing.PartyAddress sender, int deferrals, double delayMs, string reason);

    [LoggerMessage(EventId = 6208, Level = LogLevel.Warning, Message = "Mailbox of {Party}: message {Sequence} could not be opened now ({Error}); trying again")]
    private static partial void LogOpenFailed(ILogger logger, Addressing.PartyAddress party, ulong sequence, string error);
}
