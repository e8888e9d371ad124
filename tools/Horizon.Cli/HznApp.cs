using System.CommandLine;
using Horizon.Cli.Commands;

namespace Horizon.Cli;

/// <summary>The <c>hzn</c> command tree and its entry point, usable in-process by tests.</summary>
internal static class HznApp
{
    /// <summary>Parses and runs one command line; returns its exit code (see <see cref="ExitCodes"/>).</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, HznEnvironment environment, CancellationToken cancellationToken = default)
    {
        var root = Build(environment);
        // "@file" stays a value: Open Horizon's hzn has no response files, and ids or passwords may start with '@'.
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        return await parse.InvokeAsync(new InvocationConfiguration { Output = environment.Out, Error = environment.Error }, cancellationToken);
    }

    public static RootCommand Build(HznEnvironment environment)
    {
        var options = new GlobalOptions();
        var kit = new CommandKit(environment, options);
        var root = new RootCommand("hzn: publish services and patterns to a Horizon exchange, and manage this edge node");
        options.AddTo(root);
        root.Subcommands.Add(KeyCommands.Create(kit));
        root.Subcommands.Add(ExchangeCommands.Create(kit));
        root.Subcommands.Add(DeployCheckCommand.Create(kit));
        foreach (var command in AgentCommands.Create(kit))
        {
            root.Subcommands.Add(command);
        }
        root.Subcommands.Add(UtilCommands.Architecture(kit));
        root.Subcommands.Add(UtilCommands.Util(kit));
        return root;
    }
}
