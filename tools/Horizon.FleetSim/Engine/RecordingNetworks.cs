using System.Collections.Concurrent;
using Horizon.Docker;

namespace Horizon.FleetSim.Engine;

/// <summary>Networks by name, with their labels; connections are only remembered.</summary>
internal sealed class RecordingNetworks : IDockerNetworks
{
    private readonly ConcurrentDictionary<string, NetworkInspect> _networks = new(StringComparer.Ordinal);

    public Task<NetworkCreateResponse> CreateAsync(NetworkSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var network = new NetworkInspect { Name = spec.Name, Id = Guid.NewGuid().ToString("N"), Driver = spec.Driver, Internal = spec.Internal, Labels = spec.Labels };
        return _networks.TryAdd(spec.Name, network)
            ? Task.FromResult(new NetworkCreateResponse { Id = network.Id })
            : Task.FromException<NetworkCreateResponse>(new DockerConflictException($"network with name {spec.Name} already exists"));
    }

    public Task<NetworkInspect> InspectAsync(string network, CancellationToken cancellationToken = default) =>
        _networks.TryGetValue(network, out var found)
            ? Task.FromResult(found)
            : Task.FromException<NetworkInspect>(new DockerNotFoundException($"network {network} not found"));

    public Task ConnectAsync(string network, string container, IReadOnlyList<string> aliases, CancellationToken cancellationToken = default) =>
        _networks.ContainsKey(network) ? Task.CompletedTask : Task.FromException(new DockerNotFoundException($"network {network} not found"));

    public Task DisconnectAsync(string network, string container, bool force = false, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task RemoveAsync(string network, CancellationToken cancellationToken = default) =>
        _networks.TryRemove(network, out _) ? Task.CompletedTask : Task.FromException(new DockerNotFoundException($"network {network} not found"));

    public Task<IReadOnlyList<NetworkInspect>> ListAsync(IReadOnlyList<string> labels, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<NetworkInspect>>([.. _networks.Values.Where(n => LabelFilter.Matches(n.Labels, labels))]);
}
