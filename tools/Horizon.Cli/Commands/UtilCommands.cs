using System.CommandLine;
using Horizon.Patterns.Files;
using Horizon.Patterns.Validation;

namespace Horizon.Cli.Commands;

/// <summary><c>hzn architecture</c> and <c>hzn util configconv</c>.</summary>
internal static class UtilCommands
{
    public static Command Architecture(CommandKit kit) =>
        kit.Command("architecture", "Show this machine's architecture, as Horizon names it (the value of $ARCH in service files)", (invocation, _) =>
        {
            invocation.Out.WriteLine(Cli.Architecture.Current());
            return Task.CompletedTask;
        });

    public static Command Util(CommandKit kit)
    {
        var file = new Option<string>("--config-file", "-f") { Description = "The hzn.json to convert", Required = true };
        var configConv = kit.Command("configconv|cfg", "Print an hzn.json's settings and MetadataVars as shell export lines", (invocation, _) =>
        {
            var path = invocation.GetValue(file);
            invocation.InputName = path;
            if (!File.Exists(path))
            {
                throw new CliException(ExitCodes.Usage, $"{path} does not exist");
            }
            IReadOnlyDictionary<string, string> variables;
            try
            {
                variables = HznProjectVariables.ReadAll(File.ReadAllText(path));
            }
            catch (ModelFormatException e)
            {
                throw ProjectFiles.Invalid(path, e);
            }
            foreach (var (name, value) in variables)
            {
                if (!IsShellName(name))
                {
                    throw new CliException(ExitCodes.Usage, $"{path}: \"{name}\" cannot be a shell variable name");
                }
                invocation.Out.WriteLine($"export {name}={ShellQuote(value)}");
            }
            return Task.CompletedTask;
        }, file);
        return CommandKit.Group("util", "Utilities", configConv);
    }

    private static bool IsShellName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    // Single quotes keep every character literal, so "eval $(hzn util configconv -f hzn.json)" never runs a value.
    private static string ShellQuote(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '/' or ':' or '@' or ',' or '+' or '=')
            ? value
            : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
