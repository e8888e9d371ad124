using System.Runtime.CompilerServices;

namespace Horizon.Nats;

public sealed partial class NatsConnection
{
    /// <summary>
    /// Subscribes and yields messages until the enumeration is cancelled or broken off, then unsubscribes.
    /// The subscription is sent when enumeration starts; to be sure it is registered before publishing, use
    /// <see cref="SubscribeCoreAsync"/> and <see cref="PingAsync"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The subject or queue group is malformed (thrown at the call, not on enumeration).</exception>
    /// <exception cref="NatsPermissionException">Thrown during enumeration when the server denies the subscription.</exception>
    public IAsyncEnumerable<NatsMsg> SubscribeAsync(string subject, string? queueGroup = null, CancellationToken cancellationToken = default)
    {
        NatsSubject.ValidateSubscribe(subject);
        if (queueGroup is not null)
        {
            NatsSubject.ValidateQueueGroup(queueGroup);
        }
        return SubscribeIteratorAsync(subject, queueGroup, cancellationToken);
    }

    private async IAsyncEnumerable<NatsMsg> SubscribeIteratorAsync(string subject, string? queueGroup, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var sub = await SubscribeCoreAsync(subject, queueGroup, cancellationToken);
        await foreach (var msg in sub.Msgs.ReadAllAsync(cancellationToken))
        {
            yield return msg;
        }
    }

    /// <summary>
    /// Subscribes and returns the subscription once SUB is queued for the server (connecting first if needed).
    /// Dispose it to unsubscribe.
    /// </summary>
    /// <exception cref="ArgumentException">The subject or queue group is malformed.</exception>
    /// <exception cref="NatsConnectionException">Not connected and no server could be reached.</exception>
    public async ValueTask<NatsSubscription> SubscribeCoreAsync(string subject, string? queueGroup = null, CancellationToken cancellationToken = default)
    {
        NatsSubject.ValidateSubscribe(subject);
        if (queueGroup is not null)
        {
            NatsSubject.ValidateQueueGroup(queueGroup);
        }
        await EnsureConnectedAsync(cancellationToken);
        var sub = new NatsSubscription(this, Interlocked.Increment(ref _nextSid), subject, queueGroup, Opts.SubPendingCapacity);
        _writer.Subscribe(sub.Sid, subject, queueGroup, () => _subs[sub.Sid] = sub);
        return sub;
    }

    internal ValueTask UnsubscribeAsync(NatsSubscription sub)
    {
        if (_subs.ContainsKey(sub.Sid))
        {
            _writer.Unsubscribe(sub.Sid, null, () => _subs.TryRemove(sub.Sid, out _));
        }
        sub.Complete();
        return ValueTask.CompletedTask;
    }
}
