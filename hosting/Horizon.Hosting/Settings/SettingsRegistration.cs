using Microsoft.Extensions.DependencyInjection;

namespace Horizon.Hosting.Settings;

/// <summary>Registers a deployable's settings record after checking it.</summary>
public static class SettingsRegistration
{
    /// <summary>
    /// Checks <paramref name="settings"/> (bound by the caller, so the configuration binder's source
    /// generator sees the concrete type) and registers them as an immutable singleton.
    /// </summary>
    /// <exception cref="InvalidSettingsException">Any check failed; the message names every setting at fault.</exception>
    public static T AddValidatedSettings<T>(this IServiceCollection services, string component, T settings)
        where T : class, IValidatedSettings
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        Check(component, settings);
        services.AddSingleton(settings);
        return settings;
    }

    /// <exception cref="InvalidSettingsException">Any check failed.</exception>
    public static void Check<T>(string component, T settings) where T : IValidatedSettings
    {
        var problems = settings.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new InvalidSettingsException(component, problems);
        }
    }
}
