using System.Collections.Concurrent;
using System.Threading.Channels;
using Horizon.Nats.Internal;
using Microsoft.Extensions.Logging;

namespace Horizon.Nats;

/// <summary>
/// A connection to a NATS server or cluster: publish, subscribe, request/reply, and the base of
/// JetStream. It connects on <see cref="ConnectAsync"/> (or on first use), survives
/// server restarts by reconnecting with backoff across the known servers, re-subscribes, and buffers publishes
/// while it reconnects. Thread-safe; one connection per process is the usual shape.
/// </summary>
public sealed partial class NatsConnection : IAsyncDisposable
{
    private readonly ILogger _logger;
    private readonly List<ServerAddress> _servers;
    private readonly Lock _serversLock = new();
    private readonly Lock _sessionLock = new();
    private readonly Lock _stateLock = new();
    private readonly CommandWriter _writer;
    private readonly ConcurrentDictionary<long, NatsSubscription> _subs = new();
    private readonly ConcurrentQueue<TaskCompletionSource?> _pongs = new();
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly CancellationTokenSource _disposing = new();
    private readonly Channel<Action> _events = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _eventLoop;
    private ServerSession? _session;
    private volatile NatsConnectionState _state;
    private long _nextSid;
    private long _maxPayload = 1024 * 1024;
    private int _pingsOut;
    private int _disposed;
    private ITimer? _pingTimer;

    /// <summary>A connection to <c>nats://127.0.0.1:4222</c> with default options.</summary>
    public NatsConnection()
        : this(NatsOpts.Default)
    {
    }

    /// <summary>A connection with the given options; nothing is sent until <see cref="ConnectAsync"/> or first use.</summary>
    /// <exception cref="ArgumentException">A URL or option is invalid.</exception>
    public NatsConnection(NatsOpts opts)
    {
        ArgumentNullException.ThrowIfNull(opts);
        NatsSubject.ValidatePublish(opts.InboxPrefix, nameof(opts.InboxPrefix));
        ArgumentOutOfRangeException.ThrowIfLessThan(opts.SubPendingCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(opts.MaxPingOut, 1);
        Opts = opts;
        _servers = ServerAddress.ParseList(opts.Url);
        _logger = opts.LoggerFactory.CreateLogger<NatsConnection>();
        _writer = new CommandWriter(opts.WriterBufferSize, opts.ReconnectBufferSize, OnWriteFailed);
        _eventLoop = Task.Run(RunEventsAsync);
    }

    public NatsOpts Opts { get; }

    /// <summary>Where the connection stands now.</summary>
    public NatsConnectionState State => _state;

    /// <summary>The server connected to, or null.</summary>
    public string? ConnectedUrl => _session?.Address.ToString();

    /// <summary>The connected server's version, e.g. "2.9.20", or null.</summary>
    public string? ServerVersion => _session?.Info.Version;

    /// <summary>The largest payload (headers included) the connected server accepts.</summary>
    public long MaxPayload => Interlocked.Read(ref _maxPayload);

    /// <summary>Raised (off the I/O path, in order) when <see cref="State"/> changes.</summary>
    public event EventHandler<NatsConnectionStateChangedEventArgs>? ConnectionStateChanged;

    /// <summary>
    /// Raised for errors that do not close the connection: a denied publish or subscription
    /// (<see cref="NatsPermissionException"/>), a message dropped for a slow reader, or a server error notice.
    /// </summary>
    public event EventHandler<NatsErrorEventArgs>? ErrorReported;

    /// <summary>A new unique inbox subject under <see cref="NatsOpts.InboxPrefix"/>.</summary>
    public string NewInbox() => $"{Opts.InboxPrefix}.{Nuid.Next()}";

    private void SetState(NatsConnectionState state, string? url, Exception? error)
    {
        NatsConnectionState previous;
        lock (_stateLock)
        {
            previous = _state;
            if (previous == state || previous == NatsConnectionState.Disposed)
            {
                return;
            }
            _state = state;
        }
        NatsLog.StateChanged(_logger, previous, state, url, error?.Message);
        var args = new NatsConnectionStateChangedEventArgs(previous, state, url, error);
        _events.Writer.TryWrite(() => ConnectionStateChanged?.Invoke(this, args));
    }

    private void Report(NatsException error)
    {
        NatsLog.ErrorReported(_logger, error.Message);
        var args = new NatsErrorEventArgs(error);
        _events.Writer.TryWrite(() => ErrorReported?.Invoke(this, args));
    }

    private async Task RunEventsAsync()
    {
        await foreach (var raise in _events.Reader.ReadAllAsync())
        {
#pragma warning disable CA1031 // A subscriber's faulty handler must not stop later events from being raised.
            try
            {
                raise();
            }
            catch (Exception e)
            {
                NatsLog.EventHandlerFailed(_logger, e);
            }
#pragma warning restore CA1031
        }
    }

    /// <summary>The configured servers followed by those learned from INFO <c>connect_urls</c>; for tests.</summary>
    internal IReadOnlyList<string> KnownServerUrls => [.. ServersSnapshot().Select(server => server.ToString())];

    private List<ServerAddress> ServersSnapshot()
    {
        lock (_serversLock)
        {
            return [.. _servers];
        }
    }

    private void LearnServers(ServerInfo info)
    {
        Interlocked.Exchange(ref _maxPayload, info.MaxPayload);
        if (info.ConnectUrls is null)
        {
            return;
        }
        lock (_serversLock)
        {
            foreach (var url in info.ConnectUrls)
            {
                try
                {
                    var address = ServerAddress.Parse(url);
                    if (!_servers.Exists(known => known.SameEndpoint(address)))
                    {
                        // connect_urls are bare host:port; a cluster shares TLS settings and users, so a learned
                        // server is reached the way the first configured one is.
                        var first = _servers[0];
                        _servers.Add(address with { Tls = first.Tls, User = first.User, Password = first.Password, Token = first.Token });
                    }
                }
                catch (ArgumentException)
                {
                    NatsLog.IgnoredConnectUrl(_logger, url);
                }
            }
        }
    }
}
