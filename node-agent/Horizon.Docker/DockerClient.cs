using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Horizon.Docker;

/// <summary>A typed Docker Engine API client, one interface per area (like Docker.DotNet's).</summary>
public interface IDockerClient : IDisposable
{
    /// <summary>Ping, version, info.</summary>
    IDockerSystem System { get; }

    /// <summary>Pull, inspect, remove images.</summary>
    IDockerImages Images { get; }

    /// <summary>Container lifecycle, state and logs.</summary>
    IDockerContainers Containers { get; }

    /// <summary>Bridge networks and DNS aliases.</summary>
    IDockerNetworks Networks { get; }

    /// <summary>The container event stream.</summary>
    IDockerEvents Events { get; }

    /// <summary>
    /// The API version in use: fixed by <see cref="DockerClientOptions.ApiVersion"/>, or negotiated
    /// from <c>/version</c> on the first call (and cached), as the docker CLI does
    /// (<c>docker version --format '{{.Client.APIVersion}}'</c> shows its choice).
    /// </summary>
    /// <exception cref="HttpRequestException">The engine cannot be reached.</exception>
    /// <exception cref="DockerApiException">The engine's versions and this client's do not overlap.</exception>
    /// <exception cref="TimeoutException">No answer within the request timeout.</exception>
    Task<Version> GetApiVersionAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// The client over HTTP on the engine's unix socket (or tcp://). Thread-safe; create one per
/// process and dispose it at shutdown.
/// </summary>
public sealed class DockerClient : IDockerClient
{
    /// <summary>The newest API this client was written against: Docker 20.10's.</summary>
    public static readonly Version MaximumApiVersion = new(1, 41);

    private readonly DockerTransport _transport;
    private readonly ILogger _logger;

    /// <param name="options">Endpoint and timeouts; null for <see cref="DockerClientOptions.Default"/>.</param>
    /// <param name="logger">Where reconnections are reported; null for none.</param>
    /// <exception cref="ArgumentException">The endpoint is neither unix:// nor tcp://.</exception>
    public DockerClient(DockerClientOptions? options = null, ILogger<DockerClient>? logger = null)
    {
        options ??= DockerClientOptions.Default;
        DockerEndpoint.Parse(options.Endpoint.OriginalString);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _transport = new DockerTransport(options);
        System = new DockerSystem(_transport);
        Images = new DockerImages(_transport);
        Containers = new DockerContainers(_transport);
        Networks = new DockerNetworks(_transport);
        Events = new DockerEvents(_transport, _logger);
    }

    public IDockerSystem System { get; }

    public IDockerImages Images { get; }

    public IDockerContainers Containers { get; }

    public IDockerNetworks Networks { get; }

    public IDockerEvents Events { get; }

    public async Task<Version> GetApiVersionAsync(CancellationToken cancellationToken = default)
    {
        var version = await _transport.GetApiVersionAsync(cancellationToken);
        _logger.ApiVersionChosen(_transport.Options.Endpoint, version);
        return version;
    }

    public void Dispose() => _transport.Dispose();
}
