using Horizon.Patterns.Model;

namespace Horizon.Patterns.Compatibility;

/// <summary>What compatibility checks need to know about a node (from its exchange record and agent).</summary>
public sealed record NodeDescription
{
    public string Org { get; init; } = "";

    public string Id { get; init; } = "";

    public string Arch { get; init; } = "";

    /// <summary>The pattern the node is registered with, as <c>org/name</c>; <see langword="null"/> for a policy node.</summary>
    public string? Pattern { get; init; }

    public NodePolicy? Policy { get; init; }

    public int Cpus { get; init; }

    public long MemoryMb { get; init; }

    public string? HardwareId { get; init; }

    public bool AllowPrivileged { get; init; }

    /// <summary>User input values the node owner supplied.</summary>
    public IReadOnlyList<ServiceUserInput> UserInput { get; init; } = [];

    /// <summary>The node's built-in properties (<c>openhorizon.arch</c>, <c>openhorizon.cpu</c>, …).</summary>
    public IReadOnlyList<Property> BuiltInProperties() =>
        Constraints.BuiltInProperties.ForNode(Arch, Cpus, MemoryMb, HardwareId, AllowPrivileged);
}
