using Docker.DotNet;

namespace Horizon.Docker;

/// <summary>Builds Docker.DotNet clients for an engine address the way the node agent and hzn both want them.</summary>
public static class DockerClients
{
    /// <summary>The socket the engine listens on when <c>DOCKER_HOST</c> is not set.</summary>
    public static readonly Uri DefaultEndpoint = new("unix:///var/run/docker.sock");

    /// <summary>
    /// A client for <paramref name="endpoint"/> (<c>unix://</c> or <c>tcp://</c>). No API version is
    /// named in the paths, so the engine answers in its own version: the package's models are a
    /// superset of what engines from 20.10 (API 1.41) on send.
    /// </summary>
    /// <param name="requestTimeout">Upper bound of a non-streaming call; pulls and event streams are bounded by cancellation only.</param>
    public static DockerClient Create(Uri endpoint, TimeSpan requestTimeout)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        // An explicit endpoint keeps the builder from reading ~/.docker contexts.
        return new DockerClientBuilder().WithEndpoint(endpoint).WithTimeout(requestTimeout).Build();
    }
}
