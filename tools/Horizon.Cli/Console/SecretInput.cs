namespace Horizon.Cli;

/// <summary>
/// Secrets (passwords, tokens) hzn takes without putting them on a command line, where every local
/// user reads them (<c>ps</c>, <c>/proc/*/cmdline</c>): from an environment variable, or from standard
/// input when the argument is <c>-</c>. The positional form Open Horizon's scripts use still works, with
/// a warning.
/// </summary>
internal static class SecretInput
{
    /// <summary>The argument that says "read it from standard input".</summary>
    public const string Stdin = "-";

    /// <summary>
    /// The secret: <paramref name="given"/> when it is a value, one line of standard input when it is
    /// <c>-</c>, the variable <paramref name="variable"/> when it was left out.
    /// </summary>
    /// <exception cref="CliException">Left out and the variable is unset, or standard input is empty.</exception>
    public static string Resolve(HznEnvironment environment, string? given, string variable, string what)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (given == Stdin)
        {
            var line = environment.In.ReadLine();
            return string.IsNullOrEmpty(line)
                ? throw new CliException(ExitCodes.Usage, $"{what}: '-' reads it from standard input, which was empty")
                : line;
        }
        if (given is not null)
        {
            environment.Error.WriteLine($"hzn: warning: the {what} on the command line can be read by every local user; set {variable} or give '-' and pipe it on standard input");
            return given;
        }
        return environment.Get(variable)
            ?? throw new CliException(ExitCodes.Usage, $"give the {what}: set {variable}, or give '-' and pipe it on standard input");
    }
}
