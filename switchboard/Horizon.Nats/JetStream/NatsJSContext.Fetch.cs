using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Horizon.Nats.JetStream;

public sealed partial class NatsJSContext
{
    /// <summary>
    /// Pulls up to <see cref="NatsJSFetchOpts.MaxMsgs"/> messages from a durable pull consumer, waiting at most
    /// <see cref="NatsJSFetchOpts.Expires"/>. The enumeration ends early when the server says there is nothing
    /// (404), the pull expired (408), or a 409 says the pull is over for now (e.g. Exceeded MaxWaiting); those
    /// status messages are never yielded as data.
    /// </summary>
    /// <exception cref="ArgumentException">Names or options are invalid (thrown at the call).</exception>
    /// <exception cref="NatsJSException">During enumeration: the consumer was deleted, is push-based, refuses a pull this large
    /// (409 Exceeded MaxRequestBatch/MaxRequestExpires/MaxRequestMaxBytes), or the server ended the pull with another error.</exception>
    public IAsyncEnumerable<NatsJSMsg> FetchAsync(string stream, string consumer, NatsJSFetchOpts? opts = null, CancellationToken cancellationToken = default)
    {
        ValidateName(stream, nameof(stream));
        ValidateName(consumer, nameof(consumer));
        opts ??= NatsJSFetchOpts.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(opts.MaxMsgs, 1, nameof(opts));
        if (!opts.NoWait && opts.Expires < TimeSpan.FromMilliseconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(opts), "Expires must be positive unless NoWait is set");
        }
        return FetchIteratorAsync(stream, consumer, opts, cancellationToken);
    }

    private async IAsyncEnumerable<NatsJSMsg> FetchIteratorAsync(string stream, string consumer, NatsJSFetchOpts opts, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var inbox = _connection.NewInbox();
        await using var sub = await _connection.SubscribeCoreAsync(inbox, cancellationToken: cancellationToken);
        var request = new PullRequest { Batch = opts.MaxMsgs, Expires = opts.NoWait ? TimeSpan.Zero : opts.Expires, NoWait = opts.NoWait };
        var body = JsonSerializer.SerializeToUtf8Bytes(request, JetStreamJsonContext.Default.PullRequest);
        await _connection.PublishAsync($"{Opts.ApiPrefix}.CONSUMER.MSG.NEXT.{stream}.{consumer}", body, replyTo: inbox, cancellationToken: cancellationToken);

        // The server ends the pull itself at Expires with a 408; the margin only guards against a lost server.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter((opts.NoWait ? Opts.RequestTimeout : opts.Expires) + Opts.RequestTimeout);
        // A pull request lives only in the server session it was sent in: once the connection is lost the
        // pull is over, and the caller had better ask the next server than wait out a long expiry for nothing.
        void OnStateChanged(object? sender, NatsConnectionStateChangedEventArgs e)
        {
            if (e.State != NatsConnectionState.Open)
            {
                try
                {
                    deadline.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // The pull ended meanwhile.
                }
            }
        }
        _connection.ConnectionStateChanged += OnStateChanged;
        try
        {
            var received = 0;
            while (received < opts.MaxMsgs)
            {
                var (ok, msg) = await NextAsync(sub, deadline.Token, cancellationToken);
                if (!ok)
                {
                    yield break;
                }
                if (msg.Headers is { Code: > 0 } status && msg.ReplyTo is null)
                {
                    if (IsEndOfPull(status, stream, consumer))
                    {
                        yield break;
                    }
                    continue;
                }
                received++;
                yield return new NatsJSMsg(msg, _connection);
            }
        }
        finally
        {
            _connection.ConnectionStateChanged -= OnStateChanged;
        }
    }

    private static async Task<(bool Ok, NatsMsg Msg)> NextAsync(NatsSubscription sub, CancellationToken deadline, CancellationToken cancellationToken)
    {
        try
        {
            return (true, await sub.Msgs.ReadAsync(deadline));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, default);
        }
    }

    /// <summary>True when the status ends this pull normally; throws when it ends it abnormally; false for heartbeats.</summary>
    private static bool IsEndOfPull(NatsHeaders status, string stream, string consumer)
    {
        switch (status.Code)
        {
            case 100:
                return false; // idle heartbeat
            case 404 or 408:
                return true;  // no messages / request expired
            case 409 when status.Description.Contains("Consumer Deleted", StringComparison.OrdinalIgnoreCase)
                || status.Description.Contains("push based", StringComparison.OrdinalIgnoreCase)
                || status.Description.Contains("Exceeded MaxRequest", StringComparison.OrdinalIgnoreCase):
                // The consumer is gone or cannot serve a pull of this shape (batch, expires or max bytes above
                // its limits): retrying the same fetch would fail the same way, so the caller must hear of it.
                throw new NatsJSException($"fetch from {stream}/{consumer} ended: {status.Description}");
            case 409:
                return true;  // max waiting/bytes/batch exceeded, leadership change: the pull is over, retry later
            default:
                throw new NatsJSException($"fetch from {stream}/{consumer} ended with status {status.Code} {status.Description}");
        }
    }
}
