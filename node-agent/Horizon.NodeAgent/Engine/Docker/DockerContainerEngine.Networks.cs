using Docker.DotNet.Models;

namespace Horizon.NodeAgent.Engine.Docker;

public sealed partial class DockerContainerEngine
{
    public async Task<EngineNetwork?> FindNetworkAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        try
        {
            var network = await CallAsync($"inspecting network {name}", (client, ct) => client.Networks.InspectNetworkAsync(name, ct), cancellationToken);
            // The engine also finds a network by id or id prefix; only an exact name is this one.
            return network.Name == name ? ToNetwork(network) : null;
        }
        catch (EngineNotFoundException)
        {
            return null;
        }
    }

    public async Task CreateNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        // The package follows API 1.44+, which dropped CheckDuplicate; a 1.41 engine (Docker 20.10)
        // then creates a second network of the same name. The name is checked here instead.
        if (await FindNetworkAsync(spec.Name, cancellationToken) is not null)
        {
            throw new EngineConflictException($"creating network {spec.Name}: a network of that name exists");
        }
        await CallAsync($"creating network {spec.Name}", (client, ct) => client.Networks.CreateNetworkAsync(new NetworksCreateParameters
        {
            Name = spec.Name,
            Driver = "bridge",
            Internal = spec.Internal,
            Labels = new Dictionary<string, string>(spec.Labels, StringComparer.Ordinal),
            Options = new Dictionary<string, string>(StringComparer.Ordinal),
        }, ct), cancellationToken);
    }

    public async Task<bool> RemoveNetworkAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        try
        {
            await CallAsync($"removing network {name}", (client, ct) => client.Networks.DeleteNetworkAsync(name, ct), cancellationToken);
            return true;
        }
        catch (EngineNotFoundException)
        {
            return false;
        }
    }

    public Task ConnectNetworkAsync(string network, string containerId, IReadOnlyList<string> aliases, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(network);
        ArgumentException.ThrowIfNullOrWhiteSpace(containerId);
        ArgumentNullException.ThrowIfNull(aliases);
        return CallAsync($"attaching {containerId} to {network}", (client, ct) => client.Networks.ConnectNetworkAsync(network, new NetworkConnectParameters
        {
            Container = containerId,
            EndpointConfig = new EndpointSettings { Aliases = [.. aliases] },
        }, ct), cancellationToken);
    }

    public async Task<IReadOnlyList<EngineNetwork>> ListNetworksAsync(IReadOnlyList<string> labelFilters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labelFilters);
        var networks = await CallAsync("listing networks", (client, ct) => client.Networks.ListNetworksAsync(new NetworksListParameters { Filters = LabelFilters(labelFilters) }, ct), cancellationToken);
        return [.. networks.Select(ToNetwork)];
    }

    private static EngineNetwork ToNetwork(NetworkResponse network) => new(
        network.ID,
        network.Name,
        network.Internal,
        network.Labels is { } labels ? new Dictionary<string, string>(labels, StringComparer.Ordinal) : new Dictionary<string, string>(),
        [.. network.Containers?.Keys ?? []]);
}
