namespace Horizon.Docker;

/// <summary>The engine's event stream, narrowed to what the node agent watches.</summary>
public interface IDockerEvents
{
    /// <summary>
    /// Container events as they happen (<c>docker events --filter type=container --filter event=… --since …</c>).
    /// The stream runs until <paramref name="cancellationToken"/> is cancelled. When the connection
    /// drops or the engine restarts, it reconnects with backoff and asks for events since the last
    /// one it delivered, skipping ones already delivered at that same instant, so nothing is lost
    /// while the engine still holds the events (it keeps a bounded backlog: after a long outage,
    /// reconcile by listing containers).
    /// </summary>
    /// <param name="filter">Actions, labels and containers to receive.</param>
    /// <param name="since">Replay events from this time on (inclusive); null starts with the next event.</param>
    /// <param name="cancellationToken">Ends the stream; the enumeration then throws <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="filter"/> is null.</exception>
    /// <exception cref="DockerApiException">The engine refused the request (e.g. an invalid filter); not retried.</exception>
    IAsyncEnumerable<ContainerEvent> WatchContainersAsync(ContainerEventFilter filter, DateTimeOffset? since = null, CancellationToken cancellationToken = default);
}
