namespace Horizon.NodeAgent.State;

/// <summary>Where an update of a running agreement stands (docs/upgrades.md, node side).</summary>
public enum UpgradeStep
{
    /// <summary>The new terms are recorded; their images are being pulled and checked. The old version runs untouched.</summary>
    Staging,

    /// <summary>The old containers are being stopped and the new ones started.</summary>
    Switching,

    /// <summary>The new version did not come up; it is being removed and the old one started again.</summary>
    RollingBack,

    /// <summary>The outcome is recorded; the reply goes out (or went out) to the agbot.</summary>
    Done,
}
