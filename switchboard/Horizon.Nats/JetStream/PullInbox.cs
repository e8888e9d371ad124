using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Horizon.Nats.JetStream;

/// <summary>
/// One wildcard subscription per connection that carries the answers to every pull request made
/// on it, each pull under its own last token. A subscription per pull would make the server add
/// and remove one for every renewal: ten thousand idle inboxes renewing every few seconds are
/// thousands of SUB/UNSUB a second for nothing.
/// </summary>
internal sealed class PullInbox
{
    private static readonly ConditionalWeakTable<NatsConnection, PullInbox> ByConnection = [];

    private readonly NatsConnection _connection;
    private readonly ConcurrentDictionary<long, Channel<NatsMsg>> _pulls = new();
    private readonly Lock _lock = new();
    private Task<string>? _subscription;
    private long _nextPull;

    private PullInbox(NatsConnection connection) => _connection = connection;

    public static PullInbox For(NatsConnection connection) => ByConnection.GetValue(connection, c => new PullInbox(c));

    /// <summary>A reply subject for one pull, and the messages that arrive on it.</summary>
    /// <exception cref="NatsConnectionException">Not connected and no server could be reached.</exception>
    public async ValueTask<Pull> OpenAsync(CancellationToken cancellationToken)
    {
        Task<string> subscription;
        lock (_lock)
        {
            subscription = _subscription ??= SubscribeAsync();
        }
        var prefix = await subscription.WaitAsync(cancellationToken);
        var id = Interlocked.Increment(ref _nextPull);
        var channel = Channel.CreateUnbounded<NatsMsg>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        _pulls[id] = channel;
        return new Pull(this, id, string.Concat(prefix, id.ToString(CultureInfo.InvariantCulture)), channel.Reader);
    }

    private async Task<string> SubscribeAsync()
    {
        try
        {
            var inbox = _connection.NewInbox();
            var sub = await _connection.SubscribeCoreAsync(inbox + ".*");
            _ = Task.Run(() => RouteAsync(sub), CancellationToken.None);
            return inbox + ".";
        }
        catch
        {
            Forget();
            throw;
        }
    }

    private void Forget()
    {
        lock (_lock)
        {
            _subscription = null;
        }
    }

    private async Task RouteAsync(NatsSubscription sub)
    {
        Exception? ended = null;
        try
        {
            await foreach (var msg in sub.Msgs.ReadAllAsync())
            {
                var dot = msg.Subject.LastIndexOf('.');
                if (long.TryParse(msg.Subject.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                    && _pulls.TryGetValue(id, out var pull))
                {
                    pull.Writer.TryWrite(msg);
                }
                // Otherwise the answer to a pull that already ended; the server redelivers what it carried after the ack wait.
            }
        }
#pragma warning disable CA1031 // Whatever ended the subscription (a permissions error, the connection disposed) ends every pull on it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            ended = e;
        }
        // The next pull subscribes afresh.
        Forget();
        foreach (var pull in _pulls.Values)
        {
            pull.Writer.TryComplete(ended ?? new NatsConnectionException("the connection's pull inbox closed"));
        }
    }

    /// <summary>One pull's reply subject and messages; dispose it when the pull is over.</summary>
    public sealed class Pull(PullInbox owner, long id, string replyTo, ChannelReader<NatsMsg> messages) : IDisposable
    {
        public string ReplyTo { get; } = replyTo;

        /// <summary>Completes with an exception when the connection's pull inbox ends.</summary>
        public ChannelReader<NatsMsg> Messages { get; } = messages;

        public void Dispose() => owner._pulls.TryRemove(id, out _);
    }
}
