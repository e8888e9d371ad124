using Microsoft.Extensions.Logging;

namespace Horizon.Nats.Internal;

internal static partial class NatsLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "NATS connection {Previous} -> {State} ({Url}) {Reason}")]
    public static partial void StateChanged(ILogger logger, NatsConnectionState previous, NatsConnectionState state, string? url, string? reason);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "NATS error: {Message}")]
    public static partial void ErrorReported(ILogger logger, string message);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Error, Message = "a NATS event handler threw")]
    public static partial void EventHandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Debug, Message = "ignored connect URL {Url} announced by the server")]
    public static partial void IgnoredConnectUrl(ILogger logger, string url);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Debug, Message = "connecting to {Server} failed: {Reason}")]
    public static partial void ConnectAttemptFailed(ILogger logger, ServerAddress server, string reason);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Warning, Message = "NATS connection to {Server} lost: {Reason}")]
    public static partial void SessionLost(ILogger logger, ServerAddress server, string reason);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Warning, Message = "no PONG for {Count} PINGs from {Server}; dropping the connection")]
    public static partial void Stale(ILogger logger, int count, ServerAddress server);
}
