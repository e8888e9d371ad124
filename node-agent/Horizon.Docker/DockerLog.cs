using Microsoft.Extensions.Logging;

namespace Horizon.Docker;

/// <summary>Log lines of the Docker client. Event ids 7100–7199 belong to this library.</summary>
internal static partial class DockerLog
{
    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "Docker event stream from {Endpoint} dropped ({Reason}); reconnecting from the last event")]
    public static partial void EventStreamDropped(this ILogger logger, Uri endpoint, string reason);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "Docker engine at {Endpoint} unreachable for the event stream ({Reason}); retrying in {Delay}")]
    public static partial void EventStreamUnreachable(this ILogger logger, Uri endpoint, TimeSpan delay, string reason);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Debug, Message = "Docker engine at {Endpoint} speaks API {ApiVersion}")]
    public static partial void ApiVersionChosen(this ILogger logger, Uri endpoint, Version apiVersion);
}
