using Docker.DotNet;
using Horizon.Docker;

namespace Horizon.NodeAgent.Engine.Docker;

/// <summary>
/// <see cref="IContainerEngine"/> on the Docker engine through Docker.DotNet.Enhanced (its unix
/// socket or TCP transport). Every call's failure leaves as an <see cref="EngineException"/>.
/// </summary>
public sealed partial class DockerContainerEngine : IContainerEngine, IDisposable
{
    private readonly DockerClient _client;
    private readonly DockerEngineOptions _options;
    private readonly ILogger _logger;

    public DockerContainerEngine(DockerEngineOptions options, ILogger<DockerContainerEngine> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _logger = logger;
        _client = DockerClients.Create(options.Endpoint, options.RequestTimeout);
    }

    /// <summary>The engine's address.</summary>
    public Uri Endpoint => _options.Endpoint;

    public Task PingAsync(CancellationToken cancellationToken = default) =>
        CallAsync("pinging the engine", (client, ct) => client.System.PingAsync(ct), cancellationToken);

    public async Task<EngineImage?> FindImageAsync(string reference, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        try
        {
            var image = await CallAsync($"inspecting image {reference}", (client, ct) => client.Images.InspectImageAsync(reference, ct), cancellationToken);
            return new EngineImage(image.ID, [.. image.RepoDigests ?? []]);
        }
        catch (EngineNotFoundException)
        {
            return null;
        }
    }

    public async Task<EngineImage> PullImageAsync(string reference, RegistryCredentials? credentials, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        await CallAsync($"pulling {reference}", (client, ct) => client.Images.PullAsync(reference, credentials, ct), cancellationToken);
        return await FindImageAsync(reference, cancellationToken)
            ?? throw new EngineNotFoundException($"pulling {reference}: the engine reported success but does not hold the image");
    }

    public void Dispose() => _client.Dispose();

    private async Task CallAsync(string what, Func<DockerClient, CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        try
        {
            await call(_client, cancellationToken);
        }
        catch (Exception e) when (EngineErrors.Translate(e, what, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    private async Task<T> CallAsync<T>(string what, Func<DockerClient, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(_client, cancellationToken);
        }
        catch (Exception e) when (EngineErrors.Translate(e, what, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>The engine's filter form: every <c>key</c> or <c>key=value</c> must match.</summary>
    private static Dictionary<string, IDictionary<string, bool>> LabelFilters(IReadOnlyList<string> labels) =>
        new(StringComparer.Ordinal) { ["label"] = labels.ToDictionary(l => l, _ => true, StringComparer.Ordinal) };
}
