using Horizon.Switchboard.Messaging;
using Horizon.Switchboard.Telemetry;
using Microsoft.Extensions.Logging;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Horizon.Switchboard.Mailboxes;

internal sealed partial class MailboxReader
{
    private async Task CatchUpWithRetriesAsync(CancellationToken cancellationToken)
    {
        for (var failures = 1; ; failures++)
        {
            try
            {
                await CatchUpAsync(cancellationToken);
                return;
            }
            catch (Exception e) when ((MessagingException.IsNatsFailure(e) || e is LastMessageUnreadableException) && !cancellationToken.IsCancellationRequested)
            {
                LogPaused(_logger, _self, "catching up", e.Message);
                // Doubling up to MaxErrorPause: behind a leaf node whose uplink is down, every attempt
                // fails at once (no responders) for as long as the cut lasts.
                await PauseAsync(failures, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Brings the party up to date with its inbox in the stream. First the cheap check: the last
    /// message of the inbox by direct get (one indexed read). When that is the last message
    /// dispatched, nothing is missing. Otherwise a short-lived consumer filtered to the inbox reads
    /// from the cursor's own message on: finding that message where the cursor left it proves the
    /// stream is the one the cursor was taken in, and everything after it is dispatched. A
    /// different message there, or none, means the stream was recreated under the party (or the
    /// cursor's message expired, in which case everything older did too): the consumer starts
    /// over from the first message, and envelope ids keep the ones already handled from being
    /// acted on again.
    /// </summary>
    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        var last = await LastStoredAsync(cancellationToken);
        if (last is not { } newest || _dispatched.IsAt(newest.Sequence, newest.Data))
        {
            MailboxMetrics.RecordCatchUp(_self, read: false);
            return;
        }
        var fromStart = _dispatched.IsStart || newest.Sequence < _dispatched.Sequence;
        if (!fromStart && !await ReadStoredAsync(_dispatched.Sequence, verifyCursor: true, cancellationToken))
        {
            fromStart = true;
        }
        if (fromStart)
        {
            LogStartingOver(_logger, _self, _dispatched.Sequence);
            _dispatched = MailboxCursor.Start;
            await ReadStoredAsync(1, verifyCursor: false, cancellationToken);
        }
        MailboxMetrics.RecordCatchUp(_self, read: true);
    }

    /// <summary>The sequence and bytes of the newest message in the inbox, or null when it holds none.</summary>
    private async Task<(ulong Sequence, byte[] Data)?> LastStoredAsync(CancellationToken cancellationToken)
    {
        var reply = await _connection.RequestAsync<byte[], byte[]>(MailboxSubjects.LastMessageRequest(_self, _options.JetStreamDomain), null, cancellationToken: cancellationToken);
        if (reply.Headers is { Code: 404 })
        {
            return null;
        }
        if (reply.Headers is not { Code: 0 or 200 } headers || !headers.TryGetValue("Nats-Sequence", out var value)
            || !ulong.TryParse(value.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var sequence))
        {
            throw new LastMessageUnreadableException($"the last message of {_self}'s inbox could not be read (status {reply.Headers?.Code}: {reply.Headers?.MessageText})");
        }
        return (sequence, reply.Data ?? []);
    }

    /// <summary>
    /// JetStream answered the last-message read with a status other than the message (200) or none (404), or
    /// without the message's sequence. Whatever the server meant, the inbox is still there to be read once it
    /// answers again: the catch-up tries again after a pause, as for an unreachable server, rather than end the
    /// party's mailbox.
    /// </summary>
    private sealed class LastMessageUnreadableException(string message) : MessagingException(message);

    /// <summary>
    /// Dispatches the inbox's messages from <paramref name="start"/> on through a consumer of the
    /// party's own (its name and filter are all the party's permissions allow). With
    /// <paramref name="verifyCursor"/>, the first message must be the cursor's own; returns false
    /// (dispatching nothing) when it is not.
    /// </summary>
    private async Task<bool> ReadStoredAsync(ulong start, bool verifyCursor, CancellationToken cancellationToken)
    {
        var name = MailboxSubjects.CatchUpConsumer(_self);
        var consumer = await CreateConsumerAsync(name, start, cancellationToken);
        try
        {
            var first = true;
            while (true)
            {
                var fetched = 0;
                var reachedEnd = false;
                await foreach (var message in consumer.FetchNoWaitAsync<byte[]>(new NatsJSFetchOpts { MaxMsgs = _options.CatchUpBatch }, cancellationToken: cancellationToken))
                {
                    fetched++;
                    if (message.Metadata is not { } metadata)
                    {
                        continue;
                    }
                    var data = message.Data ?? [];
                    var sequence = metadata.Sequence.Stream;
                    if (first && verifyCursor)
                    {
                        first = false;
                        if (!_dispatched.IsAt(sequence, data))
                        {
                            return false;
                        }
                        reachedEnd = metadata.NumPending == 0;
                        continue;
                    }
                    first = false;
                    if (sequence > _dispatched.Sequence)
                    {
                        await DispatchAsync(sequence, data, cancellationToken);
                    }
                    reachedEnd = metadata.NumPending == 0;
                }
                if (fetched == 0 || reachedEnd)
                {
                    return !(first && verifyCursor);
                }
            }
        }
        finally
        {
            await DeleteConsumerAsync(name);
        }
    }

    private async Task<INatsJSConsumer> CreateConsumerAsync(string name, ulong start, CancellationToken cancellationToken)
    {
        var config = new ConsumerConfig
        {
            Name = name,
            FilterSubject = MailboxSubjects.Inbox(_self),
            DeliverPolicy = ConsumerConfigDeliverPolicy.ByStartSequence,
            OptStartSeq = start,
            AckPolicy = ConsumerConfigAckPolicy.None,
            // Named but not durable: the server removes it by itself if this party dies mid-catch-up.
            InactiveThreshold = TimeSpan.FromSeconds(30),
            MemStorage = true,
            NumReplicas = 1,
        };
        INatsJSConsumer consumer;
        try
        {
            consumer = await _jetStream.CreateOrUpdateConsumerAsync(MailboxSubjects.Stream, config, cancellationToken);
        }
        catch (NatsJSApiException)
        {
            // One left by an interrupted catch-up, with another start: remove it and create ours.
            await DeleteConsumerAsync(name);
            return await _jetStream.CreateOrUpdateConsumerAsync(MailboxSubjects.Stream, config, cancellationToken);
        }
        if (consumer.Info.Delivered.ConsumerSeq == 0)
        {
            return consumer;
        }
        // One left by a catch-up of this party that died (a process killed, say) with the same
        // start: nats-server 2.9 hands back the existing consumer for an identical configuration,
        // positioned after what it delivered to the dead reader, who handled none of it for sure.
        // Reading on from there skipped those messages until a later one showed the gap (found in
        // a soak: a node process killed just after its nodes' first catch-up lost their proposals).
        LogStaleCatchUp(_logger, _self, consumer.Info.Delivered.StreamSeq);
        await DeleteConsumerAsync(name);
        return await _jetStream.CreateOrUpdateConsumerAsync(MailboxSubjects.Stream, config, cancellationToken);
    }

    private async Task DeleteConsumerAsync(string name)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _jetStream.DeleteConsumerAsync(MailboxSubjects.Stream, name, timeout.Token);
        }
        catch (Exception e) when (MessagingException.IsNatsFailure(e) || e is OperationCanceledException)
        {
            // Gone already, or the server is unreachable: its inactivity threshold removes it.
        }
    }

    [LoggerMessage(EventId = 6209, Level = LogLevel.Information, Message = "Mailbox of {Party}: a catch-up consumer left by an earlier reader (delivered up to {Sequence}) was removed; reading again from the cursor")]
    private static partial void LogStaleCatchUp(Microsoft.Extensions.Logging.ILogger logger, Addressing.PartyAddress party, ulong sequence);

    [LoggerMessage(EventId = 6207, Level = LogLevel.Information, Message = "Mailbox of {Party}: the message at the cursor ({Sequence}) is not where it was (stream recreated, or expired); reading the inbox from its start")]
    private static partial void LogStartingOver(Microsoft.Extensions.Logging.ILogger logger, Addressing.PartyAddress party, ulong sequence);
}
