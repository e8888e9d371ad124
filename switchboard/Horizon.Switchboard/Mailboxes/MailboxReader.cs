using System.Threading.Channels;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Envelopes;
using Horizon.Switchboard.Messaging;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Horizon.Switchboard.Mailboxes;

/// <summary>
/// Reads one party's inbox: live messages republished by the stream over core NATS, and catch-ups
/// from the stream itself when the live sequence shows a gap, after a reconnect, and now and then
/// when idle. Every message passes through <see cref="DispatchAsync"/> in stream order; the cursor
/// (persisted with each handled id) moves only past a run of finished messages.
/// </summary>
/// <remarks>
/// The live subject carries <c>Nats-Sequence</c> (the message's stream sequence) and
/// <c>Nats-Last-Sequence</c> (the previous message of the same subject still in the stream, 0 when
/// none). A message whose previous one is the last dispatched, or that has none, continues the
/// sequence; one whose previous one is later shows a gap; one whose previous one is earlier, or
/// which is not after the last dispatched at all, means the stream was recreated under the party
/// (sequences restart) unless it is a copy of one already dispatched. Both gap and reset go to
/// the catch-up, which also settles which of the two it was (<see cref="CatchUpAsync"/>).
/// </remarks>
internal sealed partial class MailboxReader : IDisposable
{
    private readonly PartyAddress _self;
    private readonly INatsConnection _connection;
    private readonly INatsJSContext _jetStream;
    private readonly EnvelopeOpener _opener;
    private readonly IMailboxJournal _journal;
    private readonly PoisonMessageLog _poisonLog;
    private readonly MailboxOptions _options;
    private readonly Func<OpenedEnvelope, CancellationToken, Task> _handler;
    private readonly ChannelWriter<MailboxDelivery> _deliveries;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly SemaphoreSlim _slots;
    private readonly SemaphoreSlim _persist = new(1, 1);
    private readonly SortedDictionary<ulong, InFlight> _inFlight = [];
    private readonly List<Task> _running = [];
    private MailboxCursor _dispatched;
    private int _catchUpDue;

    public MailboxReader(PartyAddress self, INatsConnection connection, INatsJSContext jetStream, EnvelopeOpener opener, IMailboxJournal journal,
        PoisonMessageLog poisonLog, MailboxOptions options, Func<OpenedEnvelope, CancellationToken, Task> handler,
        ChannelWriter<MailboxDelivery> deliveries, TimeProvider time, ILogger logger)
    {
        _self = self;
        _connection = connection;
        _jetStream = jetStream;
        _opener = opener;
        _journal = journal;
        _poisonLog = poisonLog;
        _options = options;
        _handler = handler;
        _deliveries = deliveries;
        _time = time;
        _logger = logger;
        _slots = new SemaphoreSlim(Math.Max(1, options.Concurrency));
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Exception? failure = null;
        _connection.ConnectionOpened += OnReconnectedAsync;
        _connection.MessageDropped += OnMessageDroppedAsync;
        INatsSub<byte[]>? live = null;
        try
        {
            _dispatched = await _journal.GetCursorAsync(_self, cancellationToken);
            live = await SubscribeAsync(cancellationToken);
            RequestCatchUp();
            await ReadAsync(live, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // Whatever ends the reader ends the receive loop with it, as its error.
        catch (Exception e)
#pragma warning restore CA1031
        {
            failure = e;
        }
        finally
        {
            _connection.ConnectionOpened -= OnReconnectedAsync;
            _connection.MessageDropped -= OnMessageDroppedAsync;
            await Task.WhenAll(_running).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (live is not null)
            {
                await live.DisposeAsync();
            }
            _deliveries.TryComplete(failure);
        }
    }

    public void Dispose()
    {
        _wake.Dispose();
        _slots.Dispose();
        _persist.Dispose();
    }

    private async Task<INatsSub<byte[]>> SubscribeAsync(CancellationToken cancellationToken)
    {
        for (var failures = 1; ; failures++)
        {
            try
            {
                return await _connection.SubscribeCoreAsync<byte[]>(MailboxSubjects.Live(_self), opts: new NatsSubOpts
                {
                    ChannelOpts = new NatsSubChannelOpts { Capacity = _options.LiveBuffer, FullMode = BoundedChannelFullMode.DropNewest },
                }, cancellationToken: cancellationToken);
            }
            catch (Exception e) when (MessagingException.IsNatsFailure(e) && !cancellationToken.IsCancellationRequested)
            {
                LogPaused(_logger, _self, "subscribing", e.Message);
                await PauseAsync(failures, cancellationToken);
            }
        }
    }

    private async Task ReadAsync(INatsSub<byte[]> live, CancellationToken cancellationToken)
    {
        var messages = live.Msgs;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (Interlocked.Exchange(ref _catchUpDue, 0) == 1)
            {
                await CatchUpWithRetriesAsync(cancellationToken);
                continue;
            }
            if (messages.TryRead(out var message))
            {
                await OnLiveAsync(message, cancellationToken);
                continue;
            }
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var waitForMessage = messages.WaitToReadAsync(idle.Token).AsTask();
            var waitForWake = _wake.WaitAsync(idle.Token);
            var idleCheck = _options.IdleCheckInterval > TimeSpan.Zero
                ? Task.Delay(Jittered(_options.IdleCheckInterval), _time, idle.Token)
                : Task.Delay(Timeout.Infinite, idle.Token);
            var first = await Task.WhenAny(waitForMessage, waitForWake, idleCheck);
            await idle.CancelAsync();
            if (first == idleCheck && first.IsCompletedSuccessfully)
            {
                RequestCatchUp();
            }
            else if (first == waitForMessage && first.IsCompletedSuccessfully && !waitForMessage.Result)
            {
                throw new MessagingException($"the live subscription of {_self} ended: its connection was closed");
            }
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private async Task OnLiveAsync(NatsMsg<byte[]> message, CancellationToken cancellationToken)
    {
        if (!TryReadSequences(message.Headers, out var sequence, out var previous) || message.Data is not { } data)
        {
            LogOddLiveMessage(_logger, _self, message.Subject);
            return;
        }
        if (sequence > _dispatched.Sequence)
        {
            if (previous == _dispatched.Sequence || previous == 0)
            {
                await DispatchAsync(sequence, data, cancellationToken);
                return;
            }
            // previous > dispatched: messages were stored that never arrived live (lost while
            // disconnected or dropped from a full buffer). previous < dispatched: the stream was
            // recreated. Either way the stream itself has them; this one comes with them.
            LogGap(_logger, _self, _dispatched.Sequence, previous, sequence);
            RequestCatchUp();
            return;
        }
        // Not after the last dispatched: a copy the catch-up already brought (the usual case), or a
        // message of a stream recreated under the party, whose sequences started over.
        if (IsInFlight(sequence) || (EnvelopeIdPeek.TryRead(data) is { } id && await _journal.HasSeenAsync(id, cancellationToken)))
        {
            return;
        }
        RequestCatchUp();
    }

    private static bool TryReadSequences(NatsHeaders? headers, out ulong sequence, out ulong previous)
    {
        sequence = previous = 0;
        return headers is not null
            && headers.TryGetValue("Nats-Sequence", out var s) && ulong.TryParse(s.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out sequence)
            && headers.TryGetValue("Nats-Last-Sequence", out var l) && ulong.TryParse(l.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out previous);
    }

    private void RequestCatchUp()
    {
        Interlocked.Exchange(ref _catchUpDue, 1);
        try
        {
            _wake.Release();
        }
        catch (ObjectDisposedException)
        {
            // The reader stopped meanwhile.
        }
    }

    // After a nats-server restart every party reconnects within the same second; a random wait
    // spreads their catch-ups (the first of which is a cheap direct get). A live message showing a
    // gap meanwhile starts the catch-up at once.
    private ValueTask OnReconnectedAsync(object? sender, NatsEventArgs args)
    {
        var delay = TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * _options.ReconnectJitter.Ticks));
        _ = Task.Delay(delay, _time).ContinueWith(_ => RequestCatchUp(), TaskScheduler.Default);
        return ValueTask.CompletedTask;
    }

    private ValueTask OnMessageDroppedAsync(object? sender, NatsMessageDroppedEventArgs args)
    {
        if (args.Subject == MailboxSubjects.Live(_self))
        {
            RequestCatchUp();
        }
        return ValueTask.CompletedTask;
    }

    private static TimeSpan Jittered(TimeSpan interval) =>
        interval + TimeSpan.FromTicks((long)((Random.Shared.NextDouble() - 0.5) * 0.5 * interval.Ticks));

    // Doubling, capped, and drawn between half and all of it: after a server restart the whole
    // fleet fails together, and fixed pauses would bring every party back in step.
    private async Task PauseAsync(int failures, CancellationToken cancellationToken)
    {
        var ceiling = Math.Min(_options.MaxErrorPause.Ticks, _options.ErrorPause.Ticks << Math.Min(failures - 1, 20));
        var pause = TimeSpan.FromTicks((long)(ceiling * (0.5 + (Random.Shared.NextDouble() * 0.5))));
        await Task.Delay(pause, _time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    [LoggerMessage(EventId = 6202, Level = LogLevel.Warning, Message = "Mailbox of {Party}: {Doing} failed ({Error}); trying again shortly")]
    private static partial void LogPaused(ILogger logger, PartyAddress party, string doing, string error);

    [LoggerMessage(EventId = 6205, Level = LogLevel.Debug, Message = "Mailbox of {Party}: gap in the live sequence (read up to {Dispatched}, message {Sequence} follows {Previous}); catching up")]
    private static partial void LogGap(ILogger logger, PartyAddress party, ulong dispatched, ulong previous, ulong sequence);

    [LoggerMessage(EventId = 6206, Level = LogLevel.Warning, Message = "Mailbox of {Party}: a message on {Subject} without stream sequence headers was ignored")]
    private static partial void LogOddLiveMessage(ILogger logger, PartyAddress party, string subject);
}
