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

    /// <summary>Standard input, for secrets given as <c>-</c> (<see cref="SecretInput"/>).</summary>
    public TextReader In { get; init; } = TextReader.Null;

    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();

    /// <summary>Where <c>~/.hzn/keys</c> lives.</summary>
    public string Home { get; init; } = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    /// <summary>Whether standard output is a terminal (a person reads it): lists print tables there and Open Horizon's JSON anywhere else.</summary>
    public bool OutputIsTerminal { get; init; }

    public string? Get(string name) => Variables.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    /// <summary>The process's environment, completed by the configuration files Open Horizon's hzn reads (<see cref="HznConfigFiles"/>).</summary>
    public static HznEnvironment FromProcess()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string ?? "";
        }
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var warnings = new List<string>();
        var configured = HznConfigFiles.Apply(variables, home, Directory.GetCurrentDirectory(), "/etc", warnings);
        foreach (var warning in warnings)
        {
            Console.Error.WriteLine($"hzn: warning: {warning}");
        }
        return new HznEnvironment { Out = Console.Out, Error = Console.Error, In = Console.In, Variables = configured, Home = home, OutputIsTerminal = !Console.IsOutputRedirected };
    }
}
