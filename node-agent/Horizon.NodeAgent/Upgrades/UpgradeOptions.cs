namespace Horizon.NodeAgent.Upgrades;

/// <summary>How the node switches an agreement to new terms. Immutable; adjust with <c>with { … }</c>.</summary>
public sealed record UpgradeOptions
{
    public static UpgradeOptions Default { get; } = new();

    /// <summary>
    /// How long every container of the new version must keep running after its start before the
    /// switch counts as done; a container that dies within it fails the update (docs/upgrades.md:
    /// "a container dies before the start completes").
    /// </summary>
    public TimeSpan SettleTime { get; init; } = TimeSpan.FromSeconds(3);
}
