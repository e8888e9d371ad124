using System.Runtime.CompilerServices;

namespace Horizon.Nats;

public sealed partial class NatsConnection
{
    /// <summary>
    /// Subscribes and yields messages until the enumeration is cancelled or broken off, then unsubscribes.
    /// The subscription is sent when enumeration starts; to be sure it is registered before publishing, use
    /// <see cref="SubscribeCoreAsync(string, string?, NatsSubOpts?, CancellationToken)"/> and <see cref="PingAsync"/>.
    /// With <see cref="NatsSubOpts.MaxMsgs"/> the enumeration ends by itself after that many messages.
    /// </summary>
    /// <exception cref="ArgumentException">The subject or queue group is malformed (thrown at the call, not on enumeration).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="NatsSubOpts.MaxMsgs"/> is less than 1.</exception>
    /// <exception cref="NatsPermissionException">Thrown during enumeration when the server denies the subscription.</exception>
    public IAsyncEnumerable<NatsMsg> SubscribeAsync(string subject, string? queueGroup = null, NatsSubOpts? opts = null, CancellationToken cancellationToken = default)
    {
        Validate(subject, queueGroup, opts);
        return SubscribeIteratorAsync(subject, queueGroup, opts, cancellationToken);
    }

    /// <inheritdoc cref="SubscribeAsync(string, string?, NatsSubOpts?, CancellationToken)"/>
    /// <remarks>Keeps <c>SubscribeAsync(subject, queueGroup, token)</c>, written before <see cref="NatsSubOpts"/>, compiling.</remarks>
    public IAsyncEnumerable<NatsMsg> SubscribeAsync(string subject, string? queueGroup, CancellationToken cancellationToken) =>
        SubscribeAsync(subject, queueGroup, opts: null, cancellationToken);

    private async IAsyncEnumerable<NatsMsg> SubscribeIteratorAsync(string subject, string? queueGroup, NatsSubOpts? opts, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var sub = await SubscribeCoreAsync(subject, queueGroup, opts, cancellationToken);
        await foreach (var msg in sub.Msgs.ReadAllAsync(cancellationToken))
        {
            yield return msg;
        }
    }

    /// <summary>
    /// Subscribes and returns the subscription once SUB is queued for the server (connecting first if needed).
    /// Dispose it to unsubscribe. With <see cref="NatsSubOpts.MaxMsgs"/> the server ends the subscription after
    /// that many messages and <see cref="NatsSubscription.Msgs"/> completes after the last of them.
    /// </summary>
    /// <exception cref="ArgumentException">The subject or queue group is malformed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="NatsSubOpts.MaxMsgs"/> is less than 1.</exception>
    /// <exception cref="NatsConnectionException">Not connected and no server could be reached.</exception>
    public async ValueTask<NatsSubscription> SubscribeCoreAsync(string subject, string? queueGroup = null, NatsSubOpts? opts = null, CancellationToken cancellationToken = default)
    {
        Validate(subject, queueGroup, opts);
        await EnsureConnectedAsync(cancellationToken);
        var sub = new NatsSubscription(this, Interlocked.Increment(ref _nextSid), subject, queueGroup, Opts.SubPendingCapacity, opts?.MaxMsgs);
        _writer.Subscribe(sub.Sid, subject, queueGroup, sub.MaxMsgs, () => _subs[sub.Sid] = sub);
        return sub;
    }

    /// <inheritdoc cref="SubscribeCoreAsync(string, string?, NatsSubOpts?, CancellationToken)"/>
    /// <remarks>Keeps <c>SubscribeCoreAsync(subject, queueGroup, token)</c>, written before <see cref="NatsSubOpts"/>, compiling.</remarks>
    public ValueTask<NatsSubscription> SubscribeCoreAsync(string subject, string? queueGroup, CancellationToken cancellationToken) =>
        SubscribeCoreAsync(subject, queueGroup, opts: null, cancellationToken);

    private static void Validate(string subject, string? queueGroup, NatsSubOpts? opts)
    {
        NatsSubject.ValidateSubscribe(subject);
        if (queueGroup is not null)
        {
            NatsSubject.ValidateQueueGroup(queueGroup);
        }
        if (opts?.MaxMsgs is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(max, 1, nameof(opts));
        }
    }

    /// <summary>
    /// Counts a message the server sent to <paramref name="sub"/>; on its last allowed message the subscription
    /// leaves the table, since the server has already forgotten it. Runs on the read loop only.
    /// </summary>
    private bool CountAndCheckLast(NatsSubscription sub)
    {
        if (!sub.CountDelivery())
        {
            return false;
        }
        _subs.TryRemove(sub.Sid, out _);
        return true;
    }

    internal ValueTask UnsubscribeAsync(NatsSubscription sub)
    {
        if (_subs.ContainsKey(sub.Sid))
        {
            _writer.Unsubscribe(sub.Sid, () => _subs.TryRemove(sub.Sid, out _));
        }
        sub.Complete();
        return ValueTask.CompletedTask;
    }
}
