using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Horizon.Cli.Commands;

/// <summary>Builds commands whose handlers run inside an <see cref="Invocation"/> and report failures as exit codes.</summary>
internal sealed class CommandKit(HznEnvironment environment, GlobalOptions options)
{
    public HznEnvironment Environment { get; } = environment;

    /// <summary>A command whose handler returns its own exit code.</summary>
    /// <param name="name">The name, then Open Horizon's aliases: <c>"list|ls"</c>.</param>
    public Command Command(string name, string description, Func<Invocation, CancellationToken, Task<int>> handler, params Symbol[] symbols)
    {
        var names = name.Split('|');
        var command = new Command(names[0], description);
        foreach (var alias in names.Skip(1))
        {
            command.Aliases.Add(alias);
        }
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Argument argument:
                    command.Arguments.Add(argument);
                    break;
                case Option option:
                    command.Options.Add(option);
                    break;
                default:
                    throw new ArgumentException($"unsupported symbol {symbol.Name}", nameof(symbols));
            }
        }
        command.SetAction((parse, cancellationToken) => RunAsync(parse, handler, cancellationToken));
        return command;
    }

    /// <summary>A command that succeeds unless its handler throws.</summary>
    public Command Command(string name, string description, Func<Invocation, CancellationToken, Task> handler, params Symbol[] symbols) =>
        Command(name, description, async (invocation, cancellationToken) =>
        {
            await handler(invocation, cancellationToken);
            return ExitCodes.Ok;
        }, symbols);

    /// <summary>A group of subcommands; used alone it prints the usage error of a missing command.</summary>
    public static Command Group(string name, string description, params Command[] subcommands)
    {
        var names = name.Split('|');
        var group = new Command(names[0], description);
        foreach (var alias in names.Skip(1))
        {
            group.Aliases.Add(alias);
        }
        foreach (var subcommand in subcommands)
        {
            group.Subcommands.Add(subcommand);
        }
        return group;
    }

    // System.CommandLine gives a token it does not know as an option to a free argument slot, so
    // "hzn exchange node create -x node:tok" would create a node named "-x". Open Horizon users type
    // flags of their own tool; one this hzn does not know must fail, never become a value.
    private static void RejectUnknownOptions(ParseResult parse)
    {
        var tokens = parse.Tokens.ToList();
        var doubleDash = tokens.FindIndex(t => t.Type == TokenType.DoubleDash);
        for (SymbolResult? result = parse.CommandResult; result is not null; result = result.Parent)
        {
            if (result is not CommandResult command)
            {
                continue;
            }
            // Only positional arguments: an option's own value may start with '-' (--name -x).
            foreach (var token in command.Children.OfType<ArgumentResult>().SelectMany(a => a.Tokens))
            {
                var at = tokens.FindIndex(t => ReferenceEquals(t, token));
                if ((doubleDash < 0 || at < doubleDash) && token.Value.Length > 1 && token.Value[0] == '-'
                    && !double.TryParse(token.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                {
                    throw new CliException(ExitCodes.Usage,
                        $"unknown option {token.Value.Split('=')[0]} for 'hzn {string.Join(' ', CommandPath(parse))}'; see --help (put -- before a value that starts with '-')");
                }
            }
        }
    }

    private static List<string> CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result.Parent is CommandResult parent; result = parent)
        {
            names.Insert(0, result.Command.Name);
        }

        return names;
    }

    private async Task<int> RunAsync(ParseResult parse, Func<Invocation, CancellationToken, Task<int>> handler, CancellationToken cancellationToken)
    {
        using var invocation = new Invocation(Environment, options, parse);
        try
        {
            RejectUnknownOptions(parse);
            return await handler(invocation, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Environment.Error.WriteLineAsync("hzn: interrupted");
            return 130;
        }
#pragma warning disable CA1031 // Every failure becomes an exit code and a sentence; ErrorReport says which.
        catch (Exception error)
#pragma warning restore CA1031
        {
            var (exitCode, message) = ErrorReport.Describe(error, invocation);
            await Environment.Error.WriteLineAsync($"hzn: {message}");
            return exitCode;
        }
    }
}
