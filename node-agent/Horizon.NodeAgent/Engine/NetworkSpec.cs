namespace Horizon.NodeAgent.Engine;

/// <summary>What to create: <c>docker network create</c> for a bridge network.</summary>
public sealed record NetworkSpec
{
    /// <summary>Network name; the engine refuses a second network with the same name.</summary>
    public required string Name { get; init; }

    /// <summary><c>--internal</c>: no route off the machine, only between attached containers.</summary>
    public bool Internal { get; init; }

    /// <summary><c>--label</c>.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}
