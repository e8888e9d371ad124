namespace Horizon.Docker;

internal sealed class DockerSystem(DockerTransport transport) : IDockerSystem
{
    public async Task PingAsync(CancellationToken cancellationToken = default) =>
        await transport.SendAsync(HttpMethod.Get, "/_ping", cancellationToken, versioned: false);

    public Task<SystemVersion> GetVersionAsync(CancellationToken cancellationToken = default) =>
        transport.GetJsonAsync("/version", DockerJsonContext.Default.SystemVersion, cancellationToken: cancellationToken);

    public Task<SystemInfo> GetInfoAsync(CancellationToken cancellationToken = default) =>
        transport.GetJsonAsync("/info", DockerJsonContext.Default.SystemInfo, cancellationToken: cancellationToken);
}
