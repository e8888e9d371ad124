using Horizon.Patterns.Files;
using Horizon.Patterns.Validation;

namespace Horizon.Cli;

/// <summary>
/// The configuration files Open Horizon's <c>hzn</c> reads before a command, as variables. The
/// environment wins, then the project's <c>hzn.json</c> (in the current folder, or in <c>./horizon</c>
/// beside a <c>service.definition.json</c>), then <c>~/.hzn/hzn.json</c>, <c>/etc/default/horizon</c>
/// (<c>KEY=value</c> lines) and <c>/etc/horizon/hzn.json</c>.
/// </summary>
internal static class HznConfigFiles
{
    /// <summary>The environment with every setting the files add; <paramref name="warnings"/> names files that could not be read.</summary>
    public static Dictionary<string, string> Apply(IReadOnlyDictionary<string, string> environment, string home, string workingDirectory,
        string systemConfigDirectory, List<string> warnings)
    {
        var merged = new Dictionary<string, string>(environment, StringComparer.Ordinal);
        foreach (var (path, read) in Files(home, workingDirectory, systemConfigDirectory))
        {
            if (!File.Exists(path))
            {
                continue;
            }

            try
            {
                foreach (var (name, value) in read(File.ReadAllText(path)))
                {
                    merged.TryAdd(name, value);
                }
            }
            catch (Exception e) when (e is ModelFormatException or IOException or UnauthorizedAccessException)
            {
                warnings.Add($"{path} is skipped: {e.Message}");
            }
        }

        return merged;
    }

    private static IEnumerable<(string Path, Func<string, IReadOnlyDictionary<string, string>> Read)> Files(string home, string workingDirectory, string systemConfigDirectory)
    {
        var project = File.Exists(Path.Combine(workingDirectory, "horizon", "service.definition.json"))
            && !File.Exists(Path.Combine(workingDirectory, "service.definition.json"))
            ? Path.Combine(workingDirectory, "horizon", "hzn.json")
            : Path.Combine(workingDirectory, "hzn.json");
        yield return (project, HznProjectVariables.ReadAll);
        yield return (Path.Combine(home, ".hzn", "hzn.json"), HznProjectVariables.ReadAll);
        yield return (Path.Combine(systemConfigDirectory, "default", "horizon"), text => ReadKeyValueLines(text));
        yield return (Path.Combine(systemConfigDirectory, "horizon", "hzn.json"), HznProjectVariables.ReadAll);
    }

    private static Dictionary<string, string> ReadKeyValueLines(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line[7..].TrimStart();
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (line.Length == 0 || line[0] == '#' || eq <= 0)
            {
                continue;
            }

            var value = line[(eq + 1)..].Trim();
            if (value.Length >= 2 && value[0] is '"' or '\'' && value[^1] == value[0])
            {
                value = value[1..^1];
            }

            values[line[..eq].Trim()] = value;
        }

        return values;
    }
}
