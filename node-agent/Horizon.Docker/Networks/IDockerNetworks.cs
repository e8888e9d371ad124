namespace Horizon.Docker;

/// <summary>
/// Network calls: the private bridge networks a service's containers share. Every call may also
/// throw <see cref="OperationCanceledException"/> when its token is cancelled.
/// </summary>
public interface IDockerNetworks
{
    /// <summary>Creates a network (<c>docker network create [--internal] --label … --opt …</c>).</summary>
    /// <exception cref="ArgumentException">The spec has no name.</exception>
    /// <exception cref="DockerConflictException">A network with this name exists.</exception>
    /// <exception cref="DockerApiException">Any other refusal, e.g. an unknown driver or no free address pool.</exception>
    /// <exception cref="HttpRequestException">The engine cannot be reached.</exception>
    /// <exception cref="TimeoutException">No answer within the request timeout.</exception>
    Task<NetworkCreateResponse> CreateAsync(NetworkSpec spec, CancellationToken cancellationToken = default);

    /// <summary>Settings and attached containers (<c>docker network inspect</c>).</summary>
    /// <exception cref="ArgumentException"><paramref name="network"/> is empty.</exception>
    /// <exception cref="DockerNotFoundException">No such network.</exception>
    /// <exception cref="DockerApiException">Any other engine failure.</exception>
    /// <exception cref="HttpRequestException">The engine cannot be reached.</exception>
    /// <exception cref="TimeoutException">No answer within the request timeout.</exception>
    Task<NetworkInspect> InspectAsync(string network, CancellationToken cancellationToken = default);

    /// <summary>
    /// Attaches a container, reachable there under <paramref name="aliases"/> (<c>docker network connect --alias</c>).
    /// For a container that was created but never started, the engine only records the request:
    /// a missing network then fails the later start, not this call.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="network"/> or <paramref name="container"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="aliases"/> is null.</exception>
    /// <exception cref="DockerNotFoundException">No such container, or no such network for a running container.</exception>
    /// <exception cref="DockerConflictException">The container is already attached to this network.</exception>
    /// <exception cref="DockerApiException">Any other refusal.</exception>
    /// <exception cref="HttpRequestException">The engine cannot be reached.</exception>
    /// <exception cref="TimeoutException">No answer within the request timeout.</exception>
    Task ConnectAsync(string network, string container, IReadOnlyList<string> aliases, CancellationToken cancellationToken = default);

    /// <summary>Detaches a container (<c>docker network disconnect [-f]</c>).</summary>
    /// <exception cref="ArgumentException"><paramref name="network"/> or <paramref name="container"/> is empty.</exception>
    /// <exception cref="DockerNotFoundException">No such network or container.</exception>
    /// <exception cref="DockerApiException">Any other refusal; the engine answers 500 when the container is not attached, so that is not a typed conflict.</exception>
    /// <exception cref="HttpRequestException">The engine cannot be reached.</exception>
    /// <exception cref="TimeoutException">No answer within the request timeout.</exception>
    Task DisconnectAsync(string network, string container, bool force = false, CancellationToken cancellationToken = default);

    /// <summary>Removes a network (<c>docker network rm</c>).</summary>
    /// <exception cref="ArgumentException"><paramref name="network"/> is empty.</exception>
    /// <exception cref="DockerNotFoundException">No such network.</exception>
    /// <exception cref="DockerConflictException">Containers are still attached.</exception>
    /// <exception cref="DockerApiException">Any other engine failure.</exception>
    /// <exception cref="HttpRequestException">The engine cannot be reached.</exception>
    /// <exception cref="TimeoutException">No answer within the request timeout.</exception>
    Task RemoveAsync(string network, CancellationToken cancellationToken = default);

    /// <summary>Networks carrying every label given (<c>docker network ls --filter label=…</c>).</summary>
    /// <param name="labels"><c>key</c> or <c>key=value</c>; empty lists every network.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentNullException"><paramref name="labels"/> is null.</exception>
    /// <exception cref="DockerApiException">The engine refused the filter.</exception>
    /// <exception cref="HttpRequestException">The engine cannot be reached.</exception>
    /// <exception cref="TimeoutException">No answer within the request timeout.</exception>
    Task<IReadOnlyList<NetworkInspect>> ListAsync(IReadOnlyList<string> labels, CancellationToken cancellationToken = default);
}
