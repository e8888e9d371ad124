namespace Horizon.Hosting.Settings;

/// <summary>
/// Thrown at start when a deployable's settings cannot be used. The message lists every problem,
/// each naming its setting, so one failed start tells the operator everything to fix.
/// </summary>
public sealed class InvalidSettingsException : Exception
{
    /// <summary>The exit code a deployable returns for unusable settings (distinct from a crash's 1).</summary>
    public const int ExitCode = 2;

    public InvalidSettingsException(string component, IReadOnlyList<SettingProblem> problems)
        : base($"the {component}'s settings are invalid: {string.Join("; ", problems)}")
    {
        Component = component;
        Problems = problems;
    }

    public InvalidSettingsException()
        : this("service", [])
    {
    }

    public InvalidSettingsException(string message)
        : base(message)
    {
        Component = "service";
        Problems = [];
    }

    public InvalidSettingsException(string message, Exception innerException)
        : base(message, innerException)
    {
        Component = "service";
        Problems = [];
    }

    /// <summary>The deployable, as people call it: "agbot", "node agent".</summary>
    public string Component { get; }

    public IReadOnlyList<SettingProblem> Problems { get; }
}
