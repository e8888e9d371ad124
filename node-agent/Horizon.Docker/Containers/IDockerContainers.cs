namespace Horizon.Docker;

/// <summary>
/// Container calls: the lifecycle the node agent drives, and what it reads back. Every call may
/// also throw <see cref="OperationCanceledException"/> when its token is cancelled.
/// </summary>
public interface IDockerContainers
{
    /// <summary>Creates a container, not yet started (<c>docker create</c>), with restart policy <c>no</c>.</summary>
    /// <exception cref="ArgumentException">The spec has no image.</exception>
    /// <exception cref="DockerNotFoundException">The image is not here (pull it first) or the network does not exist.</exception>
    /// <exception cref="DockerConflictException">The name is already in use.</exception>
    /// <exception cref="DockerApiException">Any other refusal, e.g. an invalid bind or port.</exception>
    /// <exception cref="HttpRequestException">The engine cannot be reached.</exception>
    /// <exception cref="TimeoutException">No answer within the request timeout.</exception>
    Task<ContainerCreateResponse> CreateAsync(ContainerSpec spec, CancellationToken cancellationToken = default);

    /// <summary>Starts a container (<c>docker start</c>).</summary>
    /// <returns>True if it was started, false if it was already running.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty.</exception>
    /// <exception cref="DockerNotFoundException">No such container.</exception>
    /// <exception cref="DockerApiException">The start failed, e.g. the command does not exist in the image.</exception>
    /// <exception cref="HttpRequestException">The engine cannot be reached.</exception>
    /// <exception cref="TimeoutException">No answer within the request timeout.</exception>
    Task<bool> StartAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Sends SIGTERM, waits up to <paramref name="timeout"/>, then SIGKILL (<c>docker stop -t</c>).</summary>
    /// <returns>True if it was stopped, false if it was not running.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    /// <exception cref="DockerNotFoundException">No such container.</exception>
    /// <exception cref="DockerApiException">Any other engine failure.</exception>
    /// <exception cref="HttpRequestException">The engine cannot be reached.</exception>
    /// <exception cref="TimeoutException">No answer within <paramref name="timeout"/> plus the request timeout.</exception>
    Task<bool> StopAsync(string id, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>Sends a signal, SIGKILL by default (<c>docker kill -s</c>).</summary>
    /// <exception cref="ArgumentException"><paramref name="id"/> or <paramref name="signal"/> is empty.</exception>
    /// <exception cref="DockerNotFoundException">No such container.</exception>
    /// <exception cref="DockerConflictException">The container is not running.</exception>
    /// <exception cref="DockerApiException">Any other engine failure, e.g. an unknown signal.</exception>
    /// <exception cref="HttpRequestException">The engine cannot be reached.</exception>
    /// <exception cref="TimeoutException">No answer within the request timeout.</exception>
    Task KillAsync(string id, string signal = "SIGKILL", CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes a container and, by default, its anonymous volumes (<c>docker rm -v [-f]</c>).
    /// Named volumes and bind-mounted host paths are never removed.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty.</exception>
    /// <exception cref="DockerNotFoundException">No such container.</exception>
    /// <exception cref="DockerConflictException">It is running and <paramref name="force"/> is false, or removal is already in progress.</exception>
    /// <exception cref="DockerApiException">Any other engine failure.</exception>
    /// <exception cref="HttpRequestException">The engine cannot be reached.</exception>
    /// <exception cref="TimeoutException">No answer within the request timeout.</exception>
    Task RemoveAsync(string id, bool force = false, bool removeVolumes = true, CancellationToken cancellationToken = default);

    /// <summary>State, exit code, restart count, configuration, mounts and networks (<c>docker container inspect</c>).</summary>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty.</exception>
    /// <exception cref="DockerNotFoundException">No such container.</exception>
    /// <exception cref="DockerApiException">Any other engine failure.</exception>
    /// <exception cref="HttpRequestException">The engine cannot be reached.</exception>
    /// <exception cref="TimeoutException">No answer within the request timeout.</exception>
    Task<ContainerInspect> InspectAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Containers, running or not, that carry every label given (<c>docker ps -a --filter label=…</c>).</summary>
    /// <param name="labels"><c>key</c> or <c>key=value</c>; empty lists every container.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentNullException"><paramref name="labels"/> is null.</exception>
    /// <exception cref="DockerApiException">The engine refused the filter.</exception>
    /// <exception cref="HttpRequestException">The engine cannot be reached.</exception>
    /// <exception cref="TimeoutException">No answer within the request timeout.</exception>
    Task<IReadOnlyList<ContainerSummary>> ListAsync(IReadOnlyList<string> labels, CancellationToken cancellationToken = default);

    /// <summary>
    /// The last <paramref name="tail"/> lines of stdout and stderr (<c>docker logs --tail</c>),
    /// split out of the engine's multiplexed stream, in the order they were written.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tail"/> is negative.</exception>
    /// <exception cref="DockerNotFoundException">No such container.</exception>
    /// <exception cref="DockerApiException">Any other engine failure, or a stream that cannot be decoded.</exception>
    /// <exception cref="HttpRequestException">The engine cannot be reached.</exception>
    /// <exception cref="TimeoutException">No answer within the request timeout.</exception>
    Task<IReadOnlyList<ContainerLogLine>> GetLogsAsync(string id, int tail = 100, CancellationToken cancellationToken = default);

    /// <summary>Waits until the container stops and returns its exit code (<c>docker wait</c>). Bounded only by cancellation.</summary>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty.</exception>
    /// <exception cref="DockerNotFoundException">No such container.</exception>
    /// <exception cref="DockerApiException">Any other engine failure.</exception>
    /// <exception cref="HttpRequestException">The engine cannot be reached.</exception>
    Task<int> WaitAsync(string id, CancellationToken cancellationToken = default);
}
