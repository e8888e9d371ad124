using System.Collections;

namespace Horizon.Cli;

/// <summary>
/// Everything <c>hzn</c> takes from its process: output streams, environment variables and the home
/// folder. Tests run the real command tree in-process with their own.
/// </summary>
internal sealed record HznEnvironment
{
    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();

    /// <summary>Where <c>~/.hzn/keys</c> lives.</summary>
    public string Home { get; init; } = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    public string? Get(string name) => Variables.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    public static HznEnvironment FromProcess()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string ?? "";
        }
        return new HznEnvironment { Out = Console.Out, Error = Console.Error, Variables = variables };
    }
}
