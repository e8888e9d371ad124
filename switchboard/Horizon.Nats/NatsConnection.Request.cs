using System.Collections.Concurrent;
using System.Globalization;

namespace Horizon.Nats;

public sealed partial class NatsConnection
{
    private readonly ConcurrentDictionary<long, PendingRequest> _requests = new();
    private readonly Lock _muxLock = new();
    private string? _muxPrefix;
    private long _nextRequestId;

    /// <summary>
    /// Publishes a request and waits for the first reply, which arrives on this connection's one shared inbox
    /// subscription under <see cref="NatsOpts.InboxPrefix"/>.
    /// </summary>
    /// <param name="timeout">How long to wait; default <see cref="NatsOpts.RequestTimeout"/>.</param>
    /// <exception cref="ArgumentException">The subject is malformed.</exception>
    /// <exception cref="NatsNoRespondersException">Nobody subscribes to <paramref name="subject"/>.</exception>
    /// <exception cref="NatsRequestTimeoutException">No reply within the timeout.</exception>
    /// <exception cref="NatsPermissionException">The server denied the publish or the inbox subscription.</exception>
    /// <exception cref="NatsPayloadTooLargeException">The request exceeds the server's max_payload.</exception>
    public async ValueTask<NatsMsg> RequestAsync(string subject, ReadOnlyMemory<byte> data = default, NatsHeaders? headers = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        NatsSubject.ValidatePublish(subject);
        await EnsureConnectedAsync(cancellationToken);
        var prefix = EnsureReplyMux();
        var id = Interlocked.Increment(ref _nextRequestId);
        var pending = new PendingRequest(subject, string.Concat(prefix, id.ToString(CultureInfo.InvariantCulture)));
        _requests[id] = pending;
        var wait = timeout ?? Opts.RequestTimeout;
        try
        {
            await PublishCoreAsync(subject, data, headers, pending.Inbox, cancellationToken);
            return await pending.Task.WaitAsync(wait, Opts.TimeProvider, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new NatsRequestTimeoutException($"no reply to the request on '{subject}' within {wait.TotalSeconds:0.###} s");
        }
        finally
        {
            _requests.TryRemove(id, out _);
        }
    }

    /// <inheritdoc cref="RequestAsync(string, ReadOnlyMemory{byte}, NatsHeaders?, TimeSpan?, CancellationToken)"/>
    public ValueTask<NatsMsg> RequestAsync(string subject, byte[] data, NatsHeaders? headers = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        RequestAsync(subject, data.AsMemory(), headers, timeout, cancellationToken);

    private string EnsureReplyMux()
    {
        var prefix = Volatile.Read(ref _muxPrefix);
        if (prefix is not null)
        {
            return prefix;
        }
        lock (_muxLock)
        {
            if (_muxPrefix is not null)
            {
                return _muxPrefix;
            }
            var inbox = NewInbox();
            var sub = new NatsSubscription(this, Interlocked.Increment(ref _nextSid), inbox + ".*", null, 1, maxMsgs: null, isReplyMux: true);
            _writer.Subscribe(sub.Sid, sub.Subject, null, null, () => _subs[sub.Sid] = sub);
            Volatile.Write(ref _muxPrefix, inbox + ".");
            return _muxPrefix!;
        }
    }

    private void ResetReplyMux(NatsException error)
    {
        lock (_muxLock)
        {
            _muxPrefix = null;
        }
        foreach (var pending in _requests.Values)
        {
            pending.TrySetException(error);
        }
    }

    private void DeliverReply(ReadOnlySpan<byte> subject, ReadOnlySpan<byte> replyTo, NatsHeaders? headers, ReadOnlyMemory<byte> data)
    {
        if (!TryParseTrailingNumber(subject, out var id) || !_requests.TryGetValue(id, out var pending))
        {
            return; // a late reply to a request that timed out
        }
        if (headers is { Code: 503 } && data.IsEmpty)
        {
            pending.TrySetException(new NatsNoRespondersException($"no responders on '{pending.Subject}'"));
            return;
        }
        var reply = replyTo.IsEmpty ? null : System.Text.Encoding.UTF8.GetString(replyTo);
        pending.TrySetResult(new NatsMsg(pending.Inbox, reply, headers, data, this));
    }

    private void FailRequestsTo(string subject, NatsException error)
    {
        foreach (var pending in _requests.Values)
        {
            if (pending.Subject == subject)
            {
                pending.TrySetException(error);
            }
        }
    }

    private sealed class PendingRequest(string subject, string inbox) : TaskCompletionSource<NatsMsg>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public string Subject { get; } = subject;

        public string Inbox { get; } = inbox;
    }
}
