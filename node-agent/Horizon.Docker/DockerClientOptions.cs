namespace Horizon.Docker;

/// <summary>
/// How to reach the engine. Immutable; start from <see cref="Default"/> and adjust with
/// <c>with { … }</c>.
/// </summary>
public sealed record DockerClientOptions
{
    /// <summary>The socket the engine listens on when <c>DOCKER_HOST</c> is not set.</summary>
    public static readonly Uri DefaultEndpoint = new("unix:///var/run/docker.sock");

    /// <summary>Defaults: <c>DOCKER_HOST</c> or the standard socket, API version negotiated, 60 s per call.</summary>
    public static DockerClientOptions Default { get; } = new();

    /// <summary>
    /// <c>unix:///path/to/socket</c> or <c>tcp://host:port</c> (plain HTTP). Defaults to
    /// <c>DOCKER_HOST</c> when set, else <see cref="DefaultEndpoint"/>.
    /// </summary>
    public Uri Endpoint { get; init; } = DockerEndpoint.FromEnvironment();

    /// <summary>
    /// A fixed API version such as <c>1.41</c>; null negotiates once from <c>/version</c>: the
    /// lower of the engine's version and <see cref="DockerClient.MaximumApiVersion"/>.
    /// </summary>
    public Version? ApiVersion { get; init; }

    /// <summary>Upper bound for a single non-streaming call. Streams (pull, events) are bounded only by cancellation.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>First wait before the event stream reconnects after a dropped connection; doubles up to <see cref="MaximumReconnectDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest wait between event stream reconnection attempts.</summary>
    public TimeSpan MaximumReconnectDelay { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Clock for reconnection delays, so tests control time.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
