namespace Horizon.Hosting.Settings;

/// <summary>
/// A deployable's settings record: bound once from configuration, checked before the host starts,
/// then never changed (init-only properties).
/// </summary>
public interface IValidatedSettings
{
    /// <summary>Every problem with these settings; empty when they can be used.</summary>
    IEnumerable<SettingProblem> Validate();
}
