using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Horizon.Nats;

/// <summary>
/// Immutable options of a <see cref="NatsConnection"/>. Start from <see cref="Default"/> and change what
/// differs: <c>NatsOpts.Default with { Url = "nats://10.0.0.1:4222", Name = "agbot" }</c>.
/// </summary>
public sealed record NatsOpts
{
    /// <summary>Defaults that work against a nats-server on this machine.</summary>
    public static NatsOpts Default { get; } = new();

    /// <summary>
    /// One server URL, or several separated by commas (a cluster). <c>nats://</c> or <c>tls://</c>;
    /// credentials may be embedded as <c>nats://user:pass@host:port</c> or <c>nats://token@host:port</c>.
    /// Default <c>nats://127.0.0.1:4222</c>.
    /// </summary>
    public string Url { get; init; } = "nats://127.0.0.1:4222";

    /// <summary>Connection name shown by the server's monitoring. Default none.</summary>
    public string? Name { get; init; }

    /// <summary>User name for user/password authentication. Default none.</summary>
    public string? Username { get; init; }

    /// <summary>Password for user/password authentication. Default none.</summary>
    public string? Password { get; init; }

    /// <summary>Token for token authentication. Default none.</summary>
    public string? Token { get; init; }

    /// <summary>Whether the server echoes this connection's own publishes to its subscriptions. Default true.</summary>
    public bool Echo { get; init; } = true;

    /// <summary>
    /// Prefix of the reply subjects used by <see cref="NatsConnection.RequestAsync(string, ReadOnlyMemory{byte}, NatsHeaders?, TimeSpan?, CancellationToken)"/>.
    /// A restricted user is given subscribe rights on <c>&lt;prefix&gt;.&gt;</c> only. Default <c>_INBOX</c>.
    /// </summary>
    public string InboxPrefix { get; init; } = "_INBOX";

    /// <summary>How long to wait for a TCP connection, TLS and the server's greeting. Default 2 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Default timeout of a request. Default 5 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the client pings the server to detect a dead connection. Default 2 min.</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Pings without a pong after which the connection counts as dead. Default 2.</summary>
    public int MaxPingOut { get; init; } = 2;

    /// <summary>First wait between reconnect rounds; doubled each round up to <see cref="ReconnectWaitMax"/>. Default 100 ms.</summary>
    public TimeSpan ReconnectWaitMin { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest wait between reconnect rounds. Default 5 s.</summary>
    public TimeSpan ReconnectWaitMax { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Random extra wait added to each reconnect wait, so that a fleet does not return in lockstep. Default 100 ms.</summary>
    public TimeSpan ReconnectJitter { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Reconnect rounds before the connection gives up and closes; -1 (default) never gives up.</summary>
    public int MaxReconnectRetry { get; init; } = -1;

    /// <summary>Bytes of publishes buffered while reconnecting; past it a publish throws. Default 8 MiB.</summary>
    public int ReconnectBufferSize { get; init; } = 8 * 1024 * 1024;

    /// <summary>Bytes of unsent commands after which a publisher waits for the socket while connected. Default 1 MiB.</summary>
    public int WriterBufferSize { get; init; } = 1024 * 1024;

    /// <summary>Messages a subscription holds for its reader. Default 4096.</summary>
    public int SubPendingCapacity { get; init; } = 4096;

    /// <summary>
    /// What happens when a subscription's reader falls behind by <see cref="SubPendingCapacity"/> messages:
    /// <see cref="NatsSubFullMode.Wait"/> (default) pauses the connection's reader (the server may then count
    /// this client as a slow consumer), <see cref="NatsSubFullMode.DropNewest"/> drops the message and raises
    /// <see cref="NatsConnection.ErrorReported"/>.
    /// </summary>
    public NatsSubFullMode SubPendingFullMode { get; init; } = NatsSubFullMode.Wait;

    /// <summary>TLS settings; by default TLS is used when the URL is <c>tls://</c> or the server requires it.</summary>
    public NatsTlsOpts Tls { get; init; } = NatsTlsOpts.Default;

    /// <summary>Clock used for timeouts, pings and reconnect waits. Default the system clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Logger factory. Default no logging.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;
}

/// <summary>What a subscription does with a message when its reader is too far behind.</summary>
public enum NatsSubFullMode
{
    /// <summary>Wait for the reader; every message arrives.</summary>
    Wait,

    /// <summary>Drop the newest message and report it.</summary>
    DropNewest,
}
