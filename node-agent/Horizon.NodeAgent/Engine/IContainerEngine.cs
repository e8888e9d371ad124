using Horizon.Docker;

namespace Horizon.NodeAgent.Engine;

/// <summary>
/// The container engine as the node agent needs it: the dozen calls its workloads, supervision,
/// reconciliation and health checks make. Implemented on the Docker engine by
/// <see cref="Docker.DockerContainerEngine"/> and in memory by the fleet simulator. Every failure
/// is an <see cref="EngineException"/>; no engine client's exception type reaches the agent.
/// </summary>
public interface IContainerEngine
{
    /// <summary>Answers when the engine does (<c>docker version</c>).</summary>
    /// <exception cref="EngineUnavailableException">The engine cannot be reached or does not answer in time.</exception>
    Task PingAsync(CancellationToken cancellationToken = default);

    /// <summary>The image named <paramref name="reference"/> as the engine holds it (<c>docker image inspect</c>); null when absent.</summary>
    /// <exception cref="EngineException">The engine failed the call.</exception>
    Task<EngineImage?> FindImageAsync(string reference, CancellationToken cancellationToken = default);

    /// <summary>Pulls <paramref name="reference"/> with <paramref name="credentials"/> and inspects it (<c>docker pull</c>).</summary>
    /// <exception cref="EngineNotFoundException">The registry has no such repository, tag or digest.</exception>
    /// <exception cref="EngineAuthenticationException">The registry refused the credentials or wants some.</exception>
    /// <exception cref="EngineException">Any other failure of the pull.</exception>
    Task<EngineImage> PullImageAsync(string reference, RegistryCredentials? credentials, CancellationToken cancellationToken = default);

    /// <summary>The network named <paramref name="name"/> (<c>docker network inspect</c>); null when absent.</summary>
    /// <exception cref="EngineException">The engine failed the call.</exception>
    Task<EngineNetwork?> FindNetworkAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Creates a bridge network (<c>docker network create</c>).</summary>
    /// <exception cref="EngineConflictException">A network of that name exists.</exception>
    Task CreateNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken = default);

    /// <summary>Removes a network (<c>docker network rm</c>).</summary>
    /// <returns>False when no such network exists.</returns>
    /// <exception cref="EngineConflictException">Containers are still attached.</exception>
    Task<bool> RemoveNetworkAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Attaches a container to a network under extra DNS aliases (<c>docker network connect --alias</c>).</summary>
    /// <exception cref="EngineNotFoundException">The network or the container does not exist.</exception>
    /// <exception cref="EngineConflictException">The container is attached already.</exception>
    Task ConnectNetworkAsync(string network, string containerId, IReadOnlyList<string> aliases, CancellationToken cancellationToken = default);

    /// <summary>Networks carrying every label of <paramref name="labelFilters"/> (<c>key</c> or <c>key=value</c>; <c>docker network ls --filter label=…</c>).</summary>
    /// <exception cref="EngineException">The engine failed the call.</exception>
    Task<IReadOnlyList<EngineNetwork>> ListNetworksAsync(IReadOnlyList<string> labelFilters, CancellationToken cancellationToken = default);

    /// <summary>The container with that name or id (<c>docker inspect</c>); null when absent.</summary>
    /// <exception cref="EngineException">The engine failed the call.</exception>
    Task<EngineContainer?> FindContainerAsync(string nameOrId, CancellationToken cancellationToken = default);

    /// <summary>Containers, running or not, carrying every label of <paramref name="labelFilters"/> (<c>docker ps -a --filter label=…</c>).</summary>
    /// <exception cref="EngineException">The engine failed the call.</exception>
    Task<IReadOnlyList<EngineContainer>> ListContainersAsync(IReadOnlyList<string> labelFilters, CancellationToken cancellationToken = default);

    /// <summary>Creates a container (<c>docker create</c>) with restart policy <c>no</c>: the agent restarts with its own backoff.</summary>
    /// <returns>The new container's id.</returns>
    /// <exception cref="EngineNotFoundException">The image or the network is not there.</exception>
    /// <exception cref="EngineConflictException">The name is in use.</exception>
    Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken = default);

    /// <summary>Starts a container (<c>docker start</c>).</summary>
    /// <returns>False when it was running already.</returns>
    /// <exception cref="EngineNotFoundException">No such container.</exception>
    /// <exception cref="EngineConflictException">It cannot start in its state (being removed).</exception>
    Task<bool> StartContainerAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Stops a container: SIGTERM, then SIGKILL after <paramref name="timeout"/> (<c>docker stop -t</c>).</summary>
    /// <returns>False when it was not running.</returns>
    /// <exception cref="EngineNotFoundException">No such container.</exception>
    Task<bool> StopContainerAsync(string id, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>Removes a container, running or not, with its anonymous volumes (<c>docker rm -f -v</c>).</summary>
    /// <returns>False when no such container exists.</returns>
    /// <exception cref="EngineConflictException">A removal is already in progress.</exception>
    Task<bool> RemoveContainerAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Container events matching <paramref name="filter"/> from <paramref name="since"/> (null: from
    /// now) until cancelled (<c>docker events --filter type=container</c>). A dropped stream or an
    /// engine restart is bridged: the stream reconnects with backoff and resumes after the last
    /// event delivered, neither losing nor repeating any the engine still holds.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    IAsyncEnumerable<ContainerEvent> WatchContainersAsync(ContainerEventFilter filter, DateTimeOffset? since = null, CancellationToken cancellationToken = default);
}
