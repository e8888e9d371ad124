using System.Globalization;

namespace Horizon.Hosting.Settings;

/// <summary>The checks settings records make, each returning the problem (naming the setting) or nothing.</summary>
public static class SettingRules
{
    public static SettingProblem? Required(string setting, string? value) =>
        string.IsNullOrWhiteSpace(value) ? new(setting, "is required") : null;

    public static SettingProblem? AtLeast(string setting, long value, long minimum) =>
        value < minimum ? new(setting, $"must be at least {minimum.ToString(CultureInfo.InvariantCulture)} (it is {value.ToString(CultureInfo.InvariantCulture)})") : null;

    public static SettingProblem? Positive(string setting, TimeSpan value) =>
        value <= TimeSpan.Zero ? new(setting, $"must be a positive duration (it is {value.ToString("c", CultureInfo.InvariantCulture)})") : null;

    public static SettingProblem? Between(string setting, double value, double minimum, double maximum) =>
        double.IsNaN(value) || value < minimum || value > maximum
            ? new(setting, $"must be from {minimum.ToString(CultureInfo.InvariantCulture)} to {maximum.ToString(CultureInfo.InvariantCulture)} (it is {value.ToString(CultureInfo.InvariantCulture)})")
            : null;

    /// <summary>An absolute URL with one of <paramref name="schemes"/> (http and https when none are given).</summary>
    public static SettingProblem? AbsoluteUrl(string setting, string? value, params string[] schemes)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return new(setting, "is required");
        }
        var allowed = schemes.Length > 0 ? schemes : ["http", "https"];
        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && allowed.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase)
            ? null
            : new(setting, $"must be an absolute {string.Join(" or ", allowed)} URL (it is '{value}')");
    }

    /// <summary>
    /// One or more absolute URLs with one of <paramref name="schemes"/> (http and https when none are
    /// given), separated by commas or whitespace: several replicas of one service, tried in turn.
    /// </summary>
    public static SettingProblem? AbsoluteUrls(string setting, string? value, params string[] schemes)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return new(setting, "is required");
        }
        var allowed = schemes.Length > 0 ? schemes : ["http", "https"];
        foreach (var part in SplitList(value))
        {
            if (!Uri.TryCreate(part, UriKind.Absolute, out var uri) || !allowed.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase))
            {
                return new(setting, $"must be one or more absolute {string.Join(" or ", allowed)} URLs separated by commas ('{part}' is not one)");
            }
        }
        return null;
    }

    /// <summary>The entries of a comma- or whitespace-separated list setting.</summary>
    public static string[] SplitList(string value) =>
        value.Split([',', ' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The problems among <paramref name="checks"/>; nulls (passed checks) left out.</summary>
    public static IEnumerable<SettingProblem> Collect(params SettingProblem?[] checks) => checks.OfType<SettingProblem>();
}
