namespace Horizon.Nats;

/// <summary>Where a connection stands.</summary>
public enum NatsConnectionState
{
    /// <summary>Not connected yet.</summary>
    Closed,

    /// <summary>The first connection is being made.</summary>
    Connecting,

    /// <summary>Connected; commands flow.</summary>
    Open,

    /// <summary>The connection was lost; publishes are buffered while servers are tried again.</summary>
    Reconnecting,

    /// <summary>Disposed, or gave up reconnecting; nothing more will happen.</summary>
    Disposed,
}

/// <summary>A change of <see cref="NatsConnection.State"/>.</summary>
public sealed class NatsConnectionStateChangedEventArgs(NatsConnectionState previous, NatsConnectionState state, string? serverUrl, Exception? error) : EventArgs
{
    public NatsConnectionState Previous { get; } = previous;

    public NatsConnectionState State { get; } = state;

    /// <summary>The server now connected to, or the one that was lost.</summary>
    public string? ServerUrl { get; } = serverUrl;

    /// <summary>Why the connection was lost, when it was.</summary>
    public Exception? Error { get; } = error;
}

/// <summary>An error the server reported without closing the connection (e.g. a permission violation), or a dropped message.</summary>
public sealed class NatsErrorEventArgs(NatsException error) : EventArgs
{
    public NatsException Error { get; } = error;
}
