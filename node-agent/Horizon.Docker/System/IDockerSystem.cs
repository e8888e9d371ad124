namespace Horizon.Docker;

/// <summary>Engine-wide calls: is it there, which version, what machine is it on.</summary>
public interface IDockerSystem
{
    /// <summary>
    /// Checks that the engine answers (<c>GET /_ping</c>, which every <c>docker</c> command sends
    /// first; the closest command on its own is <c>docker version</c>).
    /// </summary>
    /// <exception cref="HttpRequestException">The socket does not exist or nothing listens on it.</exception>
    /// <exception cref="DockerApiException">Something answered, but not with success.</exception>
    /// <exception cref="TimeoutException">The engine did not answer within <see cref="DockerClientOptions.RequestTimeout"/>.</exception>
    Task PingAsync(CancellationToken cancellationToken = default);

    /// <summary>Engine and API versions, architecture (<c>docker version</c>).</summary>
    /// <exception cref="HttpRequestException">The engine cannot be reached.</exception>
    /// <exception cref="DockerApiException">The engine answered with an error.</exception>
    /// <exception cref="TimeoutException">No answer within the request timeout.</exception>
    Task<SystemVersion> GetVersionAsync(CancellationToken cancellationToken = default);

    /// <summary>CPUs, memory, architecture and counts (<c>docker info</c>): the node's built-in properties.</summary>
    /// <exception cref="HttpRequestException">The engine cannot be reached.</exception>
    /// <exception cref="DockerApiException">The engine answered with an error.</exception>
    /// <exception cref="TimeoutException">No answer within the request timeout.</exception>
    Task<SystemInfo> GetInfoAsync(CancellationToken cancellationToken = default);
}
