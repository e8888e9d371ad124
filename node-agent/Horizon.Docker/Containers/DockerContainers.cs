using System.Globalization;
using System.Net;

namespace Horizon.Docker;

internal sealed class DockerContainers(DockerTransport transport) : IDockerContainers
{
    public Task<ContainerCreateResponse> CreateAsync(ContainerSpec spec, CancellationToken cancellationToken = default)
    {
        var body = ContainerCreateMapping.ToBody(spec);
        return transport.SendJsonAsync(HttpMethod.Post, "/containers/create" + new QueryString().Add("name", spec.Name),
            body, DockerJsonContext.Default.ContainerCreateBody, DockerJsonContext.Default.ContainerCreateResponse, cancellationToken);
    }

    public async Task<bool> StartAsync(string id, CancellationToken cancellationToken = default) =>
        await transport.SendAsync(HttpMethod.Post, $"/containers/{PathSegment.Id(id, nameof(id))}/start", cancellationToken)
            != HttpStatusCode.NotModified;

    public async Task<bool> StopAsync(string id, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        var seconds = (long)Math.Ceiling(timeout.TotalSeconds);
        var path = $"/containers/{PathSegment.Id(id, nameof(id))}/stop" + new QueryString().Add("t", seconds);
        // The engine answers only after the grace period, so the deadline grows by it.
        return await transport.SendAsync(HttpMethod.Post, path, cancellationToken, TimeSpan.FromSeconds(seconds))
            != HttpStatusCode.NotModified;
    }

    public async Task KillAsync(string id, string signal = "SIGKILL", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(signal);
        await transport.SendAsync(HttpMethod.Post,
            $"/containers/{PathSegment.Id(id, nameof(id))}/kill" + new QueryString().Add("signal", signal), cancellationToken);
    }

    public async Task RemoveAsync(string id, bool force = false, bool removeVolumes = true, CancellationToken cancellationToken = default) =>
        await transport.SendAsync(HttpMethod.Delete,
            $"/containers/{PathSegment.Id(id, nameof(id))}" + new QueryString().Add("v", removeVolumes).Add("force", force),
            cancellationToken);

    public Task<ContainerInspect> InspectAsync(string id, CancellationToken cancellationToken = default) =>
        transport.GetJsonAsync($"/containers/{PathSegment.Id(id, nameof(id))}/json",
            DockerJsonContext.Default.ContainerInspect, cancellationToken: cancellationToken);

    public Task<IReadOnlyList<ContainerSummary>> ListAsync(IReadOnlyList<string> labels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var query = new QueryString().Add("all", true).Add("filters", LabelFilter.ToJson(labels));
        return transport.GetJsonAsync("/containers/json" + query,
            DockerJsonContext.Default.IReadOnlyListContainerSummary, cancellationToken: cancellationToken);
    }

    public async Task<IReadOnlyList<ContainerLogLine>> GetLogsAsync(string id, int tail = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tail);
        var query = new QueryString().Add("stdout", true).Add("stderr", true).Add("tail", tail.ToString(CultureInfo.InvariantCulture));
        var (body, mediaType) = await transport.GetBytesAsync($"/containers/{PathSegment.Id(id, nameof(id))}/logs" + query, cancellationToken);
        return MultiplexedLogDecoder.Decode(body, mediaType);
    }

    public async Task<int> WaitAsync(string id, CancellationToken cancellationToken = default)
    {
        using var response = await transport.OpenStreamAsync(HttpMethod.Post, $"/containers/{PathSegment.Id(id, nameof(id))}/wait", headers: null, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var result = await System.Text.Json.JsonSerializer.DeserializeAsync(stream, DockerJsonContext.Default.ContainerWaitResponse, cancellationToken);
        return result?.StatusCode ?? throw new DockerApiException("the engine's wait answer had no status code");
    }
}
