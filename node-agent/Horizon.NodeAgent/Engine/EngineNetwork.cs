namespace Horizon.NodeAgent.Engine;

/// <summary>A network on the engine.</summary>
/// <param name="Containers">Ids of the attached containers; empty when listed without detail.</param>
public sealed record EngineNetwork(string Id, string Name, bool Internal, IReadOnlyDictionary<string, string> Labels, IReadOnlyList<string> Containers);
