using System.Collections.Concurrent;
using Horizon.NodeAgent.Engine;

namespace Horizon.FleetSim.Engine;

/// <summary>Networks by name, with their labels; connections are only remembered.</summary>
internal sealed partial class RecordingEngine
{
    private readonly ConcurrentDictionary<string, EngineNetwork> _networks = new(StringComparer.Ordinal);

    public Task<EngineNetwork?> FindNetworkAsync(string name, CancellationToken cancellationToken = default) =>
        Task.FromResult(_networks.GetValueOrDefault(name));

    public Task CreateNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var network = new EngineNetwork(Guid.NewGuid().ToString("N"), spec.Name, spec.Internal, spec.Labels, []);
        if (!_networks.TryAdd(spec.Name, network))
        {
            return Task.FromException(new EngineConflictException($"network with name {spec.Name} already exists"));
        }
        SaveLocked();
        return Task.CompletedTask;
    }

    public Task<bool> RemoveNetworkAsync(string name, CancellationToken cancellationToken = default)
    {
        var removed = _networks.TryRemove(name, out _);
        SaveLocked();
        return Task.FromResult(removed);
    }

    private void SaveLocked()
    {
        lock (_gate)
        {
            Save();
        }
    }

    public Task ConnectNetworkAsync(string network, string containerId, IReadOnlyList<string> aliases, CancellationToken cancellationToken = default) =>
        _networks.ContainsKey(network) ? Task.CompletedTask : Task.FromException(new EngineNotFoundException($"network {network} not found"));

    public Task<IReadOnlyList<EngineNetwork>> ListNetworksAsync(IReadOnlyList<string> labelFilters, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<EngineNetwork>>([.. _networks.Values.Where(n => Matches(n.Labels, labelFilters))]);
}
