using Horizon.Nats.Internal;

namespace Horizon.Nats;

public sealed partial class NatsConnection
{
    /// <summary>
    /// Publishes a message. It is queued for the socket and sent shortly after; use <see cref="PingAsync"/> to
    /// know the server has it. While reconnecting, publishes are buffered up to
    /// <see cref="NatsOpts.ReconnectBufferSize"/> and sent to the next server. A publish the server denies is
    /// reported through <see cref="ErrorReported"/>; the connection stays up.
    /// </summary>
    /// <exception cref="ArgumentException">The subject or reply subject is malformed.</exception>
    /// <exception cref="NatsPayloadTooLargeException">Headers and payload exceed the server's max_payload.</exception>
    /// <exception cref="NatsReconnectBufferFullException">Reconnecting, and the buffer is full.</exception>
    /// <exception cref="NatsConnectionException">Not connected and no server could be reached.</exception>
    public ValueTask PublishAsync(string subject, ReadOnlyMemory<byte> data = default, NatsHeaders? headers = null, string? replyTo = null, CancellationToken cancellationToken = default)
    {
        NatsSubject.ValidatePublish(subject);
        if (replyTo is not null)
        {
            NatsSubject.ValidatePublish(replyTo, nameof(replyTo));
        }
        return PublishCoreAsync(subject, data, headers, replyTo, cancellationToken);
    }

    /// <inheritdoc cref="PublishAsync(string, ReadOnlyMemory{byte}, NatsHeaders?, string?, CancellationToken)"/>
    public ValueTask PublishAsync(string subject, byte[] data, NatsHeaders? headers = null, string? replyTo = null, CancellationToken cancellationToken = default) =>
        PublishAsync(subject, data.AsMemory(), headers, replyTo, cancellationToken);

    /// <summary>
    /// Waits until the server has processed everything sent before (a PING/PONG round trip); returns the round-trip time.
    /// </summary>
    /// <exception cref="NatsConnectionException">The connection is not open, or was lost before the PONG.</exception>
    public async ValueTask<TimeSpan> PingAsync(CancellationToken cancellationToken = default)
    {
        await EnsureConnectedAsync(cancellationToken);
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var start = Opts.TimeProvider.GetTimestamp();
        if (!_writer.WhenAttached(() =>
            {
                _pongs.Enqueue(waiter);
                _writer.PingLocked();
            }))
        {
            throw new NatsConnectionException($"not connected (state {State})");
        }
        await waiter.Task.WaitAsync(cancellationToken);
        return Opts.TimeProvider.GetElapsedTime(start);
    }

    private ValueTask PublishCoreAsync(string subject, ReadOnlyMemory<byte> data, NatsHeaders? headers, string? replyTo, CancellationToken cancellationToken)
    {
        // The common case (connected) stays synchronous: no state machine per message.
        if (State is NatsConnectionState.Open or NatsConnectionState.Reconnecting)
        {
            return WriteAsync(subject, data, headers, replyTo, cancellationToken);
        }
        return ConnectThenWriteAsync(subject, data, headers, replyTo, cancellationToken);
    }

    private async ValueTask ConnectThenWriteAsync(string subject, ReadOnlyMemory<byte> data, NatsHeaders? headers, string? replyTo, CancellationToken cancellationToken)
    {
        await EnsureConnectedAsync(cancellationToken);
        await WriteAsync(subject, data, headers, replyTo, cancellationToken);
    }

    private ValueTask WriteAsync(string subject, ReadOnlyMemory<byte> data, NatsHeaders? headers, string? replyTo, CancellationToken cancellationToken)
    {
        var size = data.Length + (headers is null ? 0 : HeaderCodec.GetLength(headers));
        var max = MaxPayload;
        if (size > max)
        {
            throw new NatsPayloadTooLargeException($"message to '{subject}' is {size} bytes; the server accepts at most {max}");
        }
        return _writer.PublishAsync(subject, replyTo, headers, data, cancellationToken);
    }
}
