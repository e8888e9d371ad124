using Horizon.Docker;

namespace Horizon.NodeAgent.Engine.Docker;

/// <summary>How the agent reaches the Docker engine. Immutable; adjust with <c>with { … }</c>.</summary>
public sealed record DockerEngineOptions
{
    /// <summary>Defaults: <c>DOCKER_HOST</c> or the standard socket, 60 s per call.</summary>
    public static DockerEngineOptions Default { get; } = new();

    /// <summary><c>unix:///path/to/socket</c> or <c>tcp://host:port</c> (plain HTTP).</summary>
    public Uri Endpoint { get; init; } = DockerEndpoint.FromEnvironment();

    /// <summary>Upper bound for one non-streaming call; pulls, stops and event streams are bounded by cancellation only.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>First wait before the event stream reconnects after a drop; doubles up to <see cref="MaximumReconnectDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest wait between event stream reconnection attempts.</summary>
    public TimeSpan MaximumReconnectDelay { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Clock for reconnection delays, so tests control time.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
