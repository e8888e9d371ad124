namespace Horizon.Docker;

internal sealed class DockerNetworks(DockerTransport transport) : IDockerNetworks
{
    public Task<NetworkCreateResponse> CreateAsync(NetworkSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrWhiteSpace(spec.Name, nameof(spec));
        var body = new NetworkCreateBody
        {
            Name = spec.Name,
            Driver = spec.Driver,
            Internal = spec.Internal,
            Labels = spec.Labels,
            Options = spec.Options,
        };
        return transport.SendJsonAsync(HttpMethod.Post, "/networks/create", body,
            DockerJsonContext.Default.NetworkCreateBody, DockerJsonContext.Default.NetworkCreateResponse, cancellationToken);
    }

    public Task<NetworkInspect> InspectAsync(string network, CancellationToken cancellationToken = default) =>
        transport.GetJsonAsync($"/networks/{PathSegment.Id(network, nameof(network))}",
            DockerJsonContext.Default.NetworkInspect, cancellationToken: cancellationToken);

    public async Task ConnectAsync(string network, string container, IReadOnlyList<string> aliases, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(container);
        ArgumentNullException.ThrowIfNull(aliases);
        var body = new NetworkConnectBody
        {
            Container = container,
            EndpointConfig = new EndpointConfigBody { Aliases = aliases.Count == 0 ? null : aliases },
        };
        await transport.SendAsync(HttpMethod.Post, $"/networks/{PathSegment.Id(network, nameof(network))}/connect",
            body, DockerJsonContext.Default.NetworkConnectBody, cancellationToken);
    }

    public async Task DisconnectAsync(string network, string container, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(container);
        await transport.SendAsync(HttpMethod.Post, $"/networks/{PathSegment.Id(network, nameof(network))}/disconnect",
            new NetworkDisconnectBody { Container = container, Force = force }, DockerJsonContext.Default.NetworkDisconnectBody, cancellationToken);
    }

    public async Task RemoveAsync(string network, CancellationToken cancellationToken = default) =>
        await transport.SendAsync(HttpMethod.Delete, $"/networks/{PathSegment.Id(network, nameof(network))}", cancellationToken);

    public Task<IReadOnlyList<NetworkInspect>> ListAsync(IReadOnlyList<string> labels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return transport.GetJsonAsync("/networks" + new QueryString().Add("filters", LabelFilter.ToJson(labels)),
            DockerJsonContext.Default.IReadOnlyListNetworkInspect, cancellationToken: cancellationToken);
    }
}
