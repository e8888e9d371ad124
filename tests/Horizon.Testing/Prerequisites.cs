namespace Horizon.Testing;

/// <summary>
/// Thrown when a test needs a program or service this machine does not have yet.
/// The message always names the command that installs it, so a red test says what to do.
/// </summary>
public sealed class PrerequisiteMissingException(string what)
    : Exception($"{what} — run `tools/setup.sh` (as root) to install and start the test prerequisites.");

/// <summary>Locates the programs the fixtures run and fails with the setup command when one is absent.</summary>
public static class Prerequisites
{
    /// <summary>Returns the first existing path among <paramref name="candidates"/>.</summary>
    /// <exception cref="PrerequisiteMissingException">None of the candidates exists.</exception>
    public static string RequireExecutable(string description, params string[] candidates)
    {
        foreach (var candidate in candidates)
        {
            if (Path.IsPathRooted(candidate))
            {
                if (File.Exists(candidate))
                {
                    return candidate;
                }
                continue;
            }
            var onPath = FindOnPath(candidate);
            if (onPath is not null)
            {
                return onPath;
            }
        }
        throw new PrerequisiteMissingException($"{description} not found (looked for {string.Join(", ", candidates)})");
    }

    private static string? FindOnPath(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var full = Path.Combine(dir, name);
            if (File.Exists(full))
            {
                return full;
            }
        }
        return null;
    }
}
