namespace Horizon.Cli.Tests.Support;

/// <summary>
/// Runs the real hzn command tree in-process through its entry point, with an environment of the
/// test's own (exchange URL, org, credentials, a private home for ~/.hzn/keys).
/// </summary>
public sealed class Hzn(IReadOnlyDictionary<string, string> variables, string home)
{
    public IReadOnlyDictionary<string, string> Variables { get; } = variables;

    public string Home { get; } = home;

    /// <summary>Whether hzn sees its output as a terminal (tables) rather than a pipe (Open Horizon's JSON, the default here as in scripts).</summary>
    public bool Terminal { get; init; }

    /// <summary>The same environment, printing to a terminal: lists come as tables.</summary>
    public Hzn AtTerminal() => new(Variables, Home) { Terminal = true };

    /// <summary>The same environment with some variables changed.</summary>
    public Hzn With(params (string Name, string Value)[] changes)
    {
        var variables = new Dictionary<string, string>(Variables);
        foreach (var (name, value) in changes)
        {
            variables[name] = value;
        }
        return new Hzn(variables, Home) { Terminal = Terminal };
    }

    public Task<CliResult> RunAsync(params string[] args) => RunWithInputAsync("", args);

    /// <summary>Runs with <paramref name="input"/> as standard input (for secrets given as '-').</summary>
    public async Task<CliResult> RunWithInputAsync(string input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var stdin = new StringReader(input);
        var environment = new HznEnvironment { Out = output, Error = error, In = stdin, Variables = Variables, Home = Home, OutputIsTerminal = Terminal };
        var exitCode = await HznApp.RunAsync(args, environment);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }
}
