namespace Horizon.Hosting.Settings;

/// <summary>One reason a deployable's settings cannot be used, naming the setting as it is configured (<c>Agbot:Org</c>).</summary>
/// <param name="Setting">The configuration key, section included, e.g. <c>Agbot:Upgrades:BatchSize</c>.</param>
/// <param name="Message">What is wrong with it, phrased to follow the key: "is required", "must be at least 1".</param>
public sealed record SettingProblem(string Setting, string Message)
{
    public override string ToString() => $"{Setting} {Message}";
}
