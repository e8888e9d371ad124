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
    private static readonly AsyncLocal<string?> SearchPathOverride = new();

    /// <summary>
    /// Until the returned scope is disposed, fixtures look for their programs only on
    /// <paramref name="searchPath"/> (PATH syntax), ignoring the fixed install locations. It is the
    /// seam for testing the "binary missing" path: point it at a folder without the binary. The
    /// setting flows with the current async context only, so tests running in parallel never see it.
    /// </summary>
    public static IDisposable UseSearchPath(string searchPath)
    {
        ArgumentNullException.ThrowIfNull(searchPath);
        var previous = SearchPathOverride.Value;
        SearchPathOverride.Value = searchPath;
        return new Scope(() => SearchPathOverride.Value = previous);
    }

    /// <summary>Returns the first existing path among <paramref name="candidates"/>.</summary>
    /// <exception cref="PrerequisiteMissingException">None of the candidates exists.</exception>
    public static string RequireExecutable(string description, params string[] candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var overridden = SearchPathOverride.Value;
        foreach (var candidate in candidates)
        {
            if (overridden is not null)
            {
                var found = FindOn(overridden, Path.GetFileName(candidate));
                if (found is not null)
                {
                    return found;
                }
                continue;
            }
            if (Path.IsPathRooted(candidate))
            {
                if (File.Exists(candidate))
                {
                    return candidate;
                }
                continue;
            }
            var onPath = FindOn(Environment.GetEnvironmentVariable("PATH") ?? "", candidate);
            if (onPath is not null)
            {
                return onPath;
            }
        }
        var where = overridden is null ? "" : $" on {overridden}";
        throw new PrerequisiteMissingException($"{description} not found (looked for {string.Join(", ", candidates)}{where})");
    }

    /// <summary>
    /// The folder holding <paramref name="program"/> below <paramref name="installRoot"/>/*/<paramref name="subfolder"/>
    /// (highest name first, e.g. the newest PostgreSQL major version), or on the search path of
    /// <see cref="UseSearchPath"/> while one is set; <see langword="null"/> when there is none.
    /// </summary>
    public static string? FindProgramFolder(string installRoot, string subfolder, string program)
    {
        var overridden = SearchPathOverride.Value;
        if (overridden is not null)
        {
            return Path.GetDirectoryName(FindOn(overridden, program));
        }
        return Directory.Exists(installRoot)
            ? Directory.GetDirectories(installRoot).Select(d => Path.Combine(d, subfolder))
                .Where(d => File.Exists(Path.Combine(d, program)))
                .OrderByDescending(d => d, StringComparer.Ordinal).FirstOrDefault()
            : null;
    }

    private static string? FindOn(string searchPath, string name)
    {
        foreach (var dir in searchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var full = Path.Combine(dir, name);
            if (File.Exists(full))
            {
                return full;
            }
        }
        return null;
    }

    private sealed class Scope(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
