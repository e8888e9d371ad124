using System.Buffers.Text;
using System.Text;

namespace Horizon.Nats.Internal;

/// <summary>
/// Collects outgoing commands in a pooled buffer and writes them to the socket from one loop, so that many
/// small publishes leave in few large writes. While no socket is attached (reconnecting), publishes stay in the
/// buffer up to a bound and leave once a new socket is attached; subscriptions are not buffered because the
/// connection re-sends them from its table.
/// </summary>
internal sealed class CommandWriter : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly int _highWater;
    private readonly int _reconnectLimit;
    private readonly Action<Stream, Exception> _onWriteFailed;
    private readonly Task _loop;
    private PooledBuffer _pending = new();
    private PooledBuffer _sending = new();
    private Stream? _stream;
    private bool _flushScheduled;
    private int _pendingPings;
    private TaskCompletionSource? _drained;

    public CommandWriter(int highWater, int reconnectLimit, Action<Stream, Exception> onWriteFailed)
    {
        _highWater = highWater;
        _reconnectLimit = reconnectLimit;
        _onWriteFailed = onWriteFailed;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Bytes waiting to be written.</summary>
    public int PendingBytes
    {
        get
        {
            lock (_lock)
            {
                return _pending.Length;
            }
        }
    }

    /// <summary>
    /// Starts writing to <paramref name="stream"/>: first what <paramref name="writePrefix"/> writes (the
    /// subscriptions, under the same lock that registers new ones, so none is missed or reordered), then what
    /// was buffered while detached.
    /// </summary>
    public void Attach(Stream stream, Action<PooledBuffer> writePrefix)
    {
        lock (_lock)
        {
            var fresh = new PooledBuffer();
            writePrefix(fresh);
            _pending.Written.Span.CopyTo(fresh.GetSpan(_pending.Length));
            fresh.Advance(_pending.Length);
            _pending.Dispose();
            _pending = fresh;
            _stream = stream;
            ScheduleFlush();
        }
    }

    /// <summary>
    /// Stops writing to <paramref name="stream"/> if it is the attached one; <paramref name="whileLocked"/> runs
    /// under the writer's lock so that callers can settle state that must agree with what was written.
    /// </summary>
    public void Detach(Stream stream, Action whileLocked)
    {
        TaskCompletionSource? drained;
        lock (_lock)
        {
            if (!ReferenceEquals(_stream, stream))
            {
                return;
            }
            _stream = null;
            drained = _drained;
            _drained = null;
            whileLocked();
        }
        drained?.TrySetResult();
    }

    /// <summary>Runs <paramref name="action"/> under the lock if a socket is attached; false otherwise.</summary>
    public bool WhenAttached(Action action)
    {
        lock (_lock)
        {
            if (_stream is null)
            {
                return false;
            }
            action();
            return true;
        }
    }

    /// <summary>Queues PUB or HPUB.</summary>
    /// <exception cref="NatsReconnectBufferFullException">Reconnecting, and the buffer bound would be passed.</exception>
    public ValueTask PublishAsync(string subject, string? replyTo, NatsHeaders? headers, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var headerLength = headers is null ? 0 : HeaderCodec.GetLength(headers);
        // UTF-8 needs at most 3 bytes per UTF-16 char; an upper bound avoids counting every subject twice.
        var size = 32 + (subject.Length * 3) + (replyTo is null ? 0 : replyTo.Length * 3) + headerLength + payload.Length + 2;
        Task? wait = null;
        lock (_lock)
        {
            if (_stream is null && _pending.Length + size > _reconnectLimit)
            {
                throw new NatsReconnectBufferFullException($"the reconnect buffer of {_reconnectLimit} bytes is full; publish to '{subject}' not accepted");
            }
            var span = _pending.GetSpan(size);
            var n = 0;
            if (headers is null)
            {
                n += Ascii("PUB ", span);
            }
            else
            {
                n += Ascii("HPUB ", span);
            }
            n += Encoding.UTF8.GetBytes(subject, span[n..]);
            span[n++] = (byte)' ';
            if (replyTo is not null)
            {
                n += Encoding.UTF8.GetBytes(replyTo, span[n..]);
                span[n++] = (byte)' ';
            }
            if (headers is not null)
            {
                n += Number(headerLength, span[n..]);
                span[n++] = (byte)' ';
            }
            n += Number(headerLength + payload.Length, span[n..]);
            n += CrLf(span[n..]);
            if (headers is not null)
            {
                n += HeaderCodec.Write(headers, span[n..]);
            }
            payload.Span.CopyTo(span[n..]);
            n += payload.Length;
            n += CrLf(span[n..]);
            _pending.Advance(n);
            ScheduleFlush();
            if (_stream is not null && _pending.Length > _highWater)
            {
                _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _drained.Task;
            }
        }
        return wait is null ? ValueTask.CompletedTask : new ValueTask(wait.WaitAsync(cancellationToken));
    }

    /// <summary>
    /// Runs <paramref name="register"/> and queues SUB (followed by UNSUB with <paramref name="max"/> when given)
    /// if attached, under one lock; while detached the subscription is sent on reattach from the table
    /// <paramref name="register"/> added it to.
    /// </summary>
    public void Subscribe(long sid, string subject, string? queueGroup, long? max, Action register)
    {
        lock (_lock)
        {
            register();
            if (_stream is null)
            {
                return;
            }
            WriteSub(_pending, sid, subject, queueGroup, max);
            ScheduleFlush();
        }
    }

    /// <summary>Queues UNSUB if attached; a detached connection forgets the sid on its own.</summary>
    public void Unsubscribe(long sid, Action unregister)
    {
        lock (_lock)
        {
            unregister();
            if (_stream is null)
            {
                return;
            }
            WriteUnsub(_pending, sid, null);
            ScheduleFlush();
        }
    }

    /// <summary>Queues PING. Call inside <see cref="WhenAttached"/> so the caller can pair it with its PONG.</summary>
    public void PingLocked()
    {
        var span = _pending.GetSpan(6);
        _pending.Advance(Ascii("PING\r\n", span));
        _pendingPings++;
        ScheduleFlush();
    }

    /// <summary>PINGs still in the buffer: they will reach the next server and each earn a PONG. Read under the lock.</summary>
    public int PendingPingsLocked => _pendingPings;

    public void Pong()
    {
        lock (_lock)
        {
            var span = _pending.GetSpan(6);
            _pending.Advance(Ascii("PONG\r\n", span));
            ScheduleFlush();
        }
    }

    /// <summary>
    /// Builds a SUB command into <paramref name="buffer"/>, and with <paramref name="max"/> the UNSUB that has the
    /// server end the subscription after that many messages; used for the handshake too.
    /// </summary>
    public static void WriteSub(PooledBuffer buffer, long sid, string subject, string? queueGroup, long? max)
    {
        var span = buffer.GetSpan(40 + Encoding.UTF8.GetByteCount(subject) + (queueGroup is null ? 0 : Encoding.UTF8.GetByteCount(queueGroup)));
        var n = Ascii("SUB ", span);
        n += Encoding.UTF8.GetBytes(subject, span[n..]);
        span[n++] = (byte)' ';
        if (queueGroup is not null)
        {
            n += Encoding.UTF8.GetBytes(queueGroup, span[n..]);
            span[n++] = (byte)' ';
        }
        n += Number(sid, span[n..]);
        n += CrLf(span[n..]);
        buffer.Advance(n);
        if (max is not null)
        {
            WriteUnsub(buffer, sid, max);
        }
    }

    private static void WriteUnsub(PooledBuffer buffer, long sid, long? max)
    {
        var span = buffer.GetSpan(48);
        var n = Ascii("UNSUB ", span);
        n += Number(sid, span[n..]);
        if (max is { } m)
        {
            span[n++] = (byte)' ';
            n += Number(m, span[n..]);
        }
        n += CrLf(span[n..]);
        buffer.Advance(n);
    }

    public static int Ascii(string text, Span<byte> destination) => System.Text.Encoding.ASCII.GetBytes(text, destination);

    private static int Number(long value, Span<byte> destination) =>
        Utf8Formatter.TryFormat(value, destination, out var written) ? written : throw new InvalidOperationException("number buffer too small");

    private static int CrLf(Span<byte> destination)
    {
        destination[0] = (byte)'\r';
        destination[1] = (byte)'\n';
        return 2;
    }

    private void ScheduleFlush()
    {
        if (!_flushScheduled && _stream is not null)
        {
            _flushScheduled = true;
            _signal.Release();
        }
    }

    private async Task LoopAsync()
    {
        while (true)
        {
            try
            {
                await _signal.WaitAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            Stream? stream;
            TaskCompletionSource? drained;
            lock (_lock)
            {
                _flushScheduled = false;
                stream = _stream;
                if (stream is null || _pending.Length == 0)
                {
                    continue;
                }
                (_pending, _sending) = (_sending, _pending);
                _pendingPings = 0;
                drained = _drained;
                _drained = null;
            }
            drained?.TrySetResult();
            try
            {
                await stream.WriteAsync(_sending.Written, _stop.Token);
                await stream.FlushAsync(_stop.Token);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or System.Net.Sockets.SocketException or InvalidOperationException)
            {
                // What was in flight is lost, as with any socket that dies mid-write; the connection reconnects.
                if (!_stop.IsCancellationRequested)
                {
                    _onWriteFailed(stream, e);
                }
            }
            _sending.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        lock (_lock)
        {
            _stream = null;
            _drained?.TrySetResult();
            _pending.Dispose();
            _sending.Dispose();
        }
        _signal.Dispose();
        _stop.Dispose();
    }
}
