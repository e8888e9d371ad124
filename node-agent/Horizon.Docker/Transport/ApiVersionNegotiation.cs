using System.Globalization;

namespace Horizon.Docker;

/// <summary>Picks the API version to speak, as the docker CLI does: the lower of the engine's and ours.</summary>
internal static class ApiVersionNegotiation
{
    /// <exception cref="DockerApiException">The engine's answer has no usable version, or it no longer accepts ours.</exception>
    public static Version Choose(SystemVersion engine)
    {
        if (!TryParse(engine.ApiVersion, out var offered))
        {
            throw new DockerApiException($"the engine reported no usable API version ('{engine.ApiVersion}')");
        }
        var chosen = offered < DockerClient.MaximumApiVersion ? offered : DockerClient.MaximumApiVersion;
        if (TryParse(engine.MinimumApiVersion, out var minimum) && chosen < minimum)
        {
            throw new DockerApiException(string.Create(CultureInfo.InvariantCulture,
                $"the engine {engine.Version} requires API {minimum} or later; this client speaks at most {DockerClient.MaximumApiVersion}"));
        }
        return chosen;
    }

    private static bool TryParse(string? text, out Version version)
    {
        version = new Version(0, 0);
        if (string.IsNullOrWhiteSpace(text) || !Version.TryParse(text, out var parsed) || parsed.Major < 1)
        {
            return false;
        }
        version = new Version(parsed.Major, Math.Max(parsed.Minor, 0));
        return true;
    }
}
