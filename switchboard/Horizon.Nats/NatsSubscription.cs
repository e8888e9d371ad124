using System.Text;
using System.Threading.Channels;

namespace Horizon.Nats;

/// <summary>
/// A subscription registered with the server. Read its messages from <see cref="Msgs"/>; dispose it to
/// unsubscribe. If the server denies the subscription, reading ends with a <see cref="NatsPermissionException"/>.
/// The subscription survives reconnects: it is sent again to each new server.
/// </summary>
public sealed class NatsSubscription : IAsyncDisposable
{
    private readonly NatsConnection _connection;
    private readonly Channel<NatsMsg> _channel;
    private int _disposed;
    private long _received;

    internal NatsSubscription(NatsConnection connection, long sid, string subject, string? queueGroup, int capacity, int? maxMsgs = null, bool isReplyMux = false)
    {
        _connection = connection;
        Sid = sid;
        Subject = subject;
        QueueGroup = queueGroup;
        MaxMsgs = maxMsgs;
        IsReplyMux = isReplyMux;
        _channel = Channel.CreateBounded<NatsMsg>(new BoundedChannelOptions(capacity)
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        if (NatsSubject.IsLiteral(subject))
        {
            LiteralSubject = Encoding.UTF8.GetBytes(subject);
        }
    }

    /// <summary>The subject (possibly with wildcards) this subscription listens on.</summary>
    public string Subject { get; }

    /// <summary>The queue group, or null when every subscriber gets every message.</summary>
    public string? QueueGroup { get; }

    /// <summary>Messages after which the server ends this subscription, or null; see <see cref="NatsSubOpts.MaxMsgs"/>.</summary>
    public int? MaxMsgs { get; }

    /// <summary>Messages in arrival order. Completes when the subscription ends; faults when the server denied it.</summary>
    public ChannelReader<NatsMsg> Msgs => _channel.Reader;

    internal long Sid { get; }

    internal bool IsReplyMux { get; }

    /// <summary>The subject's bytes when it has no wildcards, so that each message can reuse <see cref="Subject"/>.</summary>
    internal byte[]? LiteralSubject { get; }

    /// <summary>
    /// Messages still due before the server ends the subscription, for the UNSUB sent again after a reconnect;
    /// null when unlimited. Read under the writer's lock, while the read loop of the lost session is over.
    /// </summary>
    internal long? Remaining => MaxMsgs is { } max ? Math.Max(max - Interlocked.Read(ref _received), 0) : null;

    /// <summary>Counts one message from the server; true when it was the last one <see cref="MaxMsgs"/> allows.</summary>
    internal bool CountDelivery() => Interlocked.Increment(ref _received) == MaxMsgs;

    internal bool TryDeliver(in NatsMsg msg) => _channel.Writer.TryWrite(msg);

    internal ValueTask DeliverAsync(NatsMsg msg, CancellationToken cancellationToken) => _channel.Writer.WriteAsync(msg, cancellationToken);

    internal void Complete(Exception? error = null) => _channel.Writer.TryComplete(error);

    /// <summary>Unsubscribes; messages already received can still be read.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _connection.UnsubscribeAsync(this);
        }
    }
}
