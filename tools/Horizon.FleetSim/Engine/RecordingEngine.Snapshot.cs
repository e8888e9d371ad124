using System.Text.Json;
using System.Text.Json.Serialization;
using Horizon.NodeAgent.Engine;

namespace Horizon.FleetSim.Engine;

/// <summary>
/// The engine's containers and networks on disk, so a simulated node killed with its process finds
/// them again when it restarts (written whole after each change: a node holds a handful of them).
/// </summary>
internal sealed partial class RecordingEngine
{
    /// <summary>Called under <c>_gate</c>; writes a new file and renames it over the old one, so a kill leaves one or the other.</summary>
    private void Save()
    {
        if (_snapshotPath is null)
        {
            return;
        }
        var snapshot = new EngineSnapshot(
            [.. _byId.Values.Select(c => new ContainerSnapshot(c.Id, c.Spec, c.Running))],
            [.. _networks.Values.Select(n => new NetworkSnapshot(n.Id, n.Name, n.Internal, new Dictionary<string, string>(n.Labels, StringComparer.Ordinal)))]);
        var temporary = _snapshotPath + ".new";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(snapshot, EngineSnapshotJsonContext.Default.EngineSnapshot));
        File.Move(temporary, _snapshotPath, overwrite: true);
    }

    private void Load()
    {
        if (_snapshotPath is null || !File.Exists(_snapshotPath))
        {
            return;
        }
        var snapshot = JsonSerializer.Deserialize(File.ReadAllBytes(_snapshotPath), EngineSnapshotJsonContext.Default.EngineSnapshot);
        foreach (var container in snapshot?.Containers ?? [])
        {
            _byId[container.Id] = new RecordedContainer(container.Id, container.Spec) { Running = container.Running };
        }
        foreach (var network in snapshot?.Networks ?? [])
        {
            _networks[network.Name] = new EngineNetwork(network.Id, network.Name, network.Internal, network.Labels, []);
        }
    }
}

internal sealed record EngineSnapshot(IReadOnlyList<ContainerSnapshot> Containers, IReadOnlyList<NetworkSnapshot> Networks);

internal sealed record ContainerSnapshot(string Id, ContainerSpec Spec, bool Running);

internal sealed record NetworkSnapshot(string Id, string Name, bool Internal, Dictionary<string, string> Labels);

[JsonSerializable(typeof(EngineSnapshot))]
internal sealed partial class EngineSnapshotJsonContext : JsonSerializerContext;
