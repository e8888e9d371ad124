using System.CommandLine;

namespace Horizon.Cli.Commands;

/// <summary>Builds commands whose handlers run inside an <see cref="Invocation"/> and report failures as exit codes.</summary>
internal sealed class CommandKit(HznEnvironment environment, GlobalOptions options)
{
    public HznEnvironment Environment { get; } = environment;

    /// <summary>A command whose handler returns its own exit code.</summary>
    public Command Command(string name, string description, Func<Invocation, CancellationToken, Task<int>> handler, params Symbol[] symbols)
    {
        var command = new Command(name, description);
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
        var group = new Command(name, description);
        foreach (var subcommand in subcommands)
        {
            group.Subcommands.Add(subcommand);
        }
        return group;
    }

    private async Task<int> RunAsync(ParseResult parse, Func<Invocation, CancellationToken, Task<int>> handler, CancellationToken cancellationToken)
    {
        using var invocation = new Invocation(Environment, options, parse);
        try
        {
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
