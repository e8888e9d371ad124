namespace Horizon.Cli;

/// <summary>
/// Secrets hzn stores in the exchange (a new user's password, an agbot's or a node's token) never come
/// from its command line, where every local user reads them (<c>ps</c>, <c>/proc/*/cmdline</c>) and the
/// shell's history keeps them: they come from an environment variable, or from standard input when the
/// argument is <c>-</c>. A secret written on the command line is refused before anything is sent, so a
/// string others may have read never becomes a live credential. (Open Horizon accepts it; its scripts
/// get a message naming the variable. Credentials hzn only presents, <c>-u</c> and <c>register -n</c>,
/// keep Open Horizon's forms: they are live already.)
/// </summary>
internal static class SecretInput
{
    /// <summary>The argument that says "read it from standard input".</summary>
    public const string Stdin = "-";

    /// <summary>
    /// The secret: one line of standard input when <paramref name="given"/> is <c>-</c>, the variable
    /// <paramref name="variable"/> when it was left out.
    /// </summary>
    /// <exception cref="CliException">A literal secret was given, it was left out and the variable is unset, or standard input is empty.</exception>
    public static string Resolve(HznEnvironment environment, string? given, string variable, string what)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return given is null
            ? environment.Get(variable) ?? throw new CliException(ExitCodes.Usage, $"give the {what}: set {variable}, or give '-' and pipe it on standard input")
            : ResolveGiven(environment, given, $"set {variable} and leave it out, or give '-' and pipe it on standard input", what);
    }

    /// <summary>
    /// A new secret given to an option that changes one (<c>update --password -</c>): standard input only.
    /// </summary>
    /// <exception cref="CliException">A literal secret was given, or standard input is empty.</exception>
    public static string? ResolveChange(HznEnvironment environment, string? given, string option, string what)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return given is null ? null : ResolveGiven(environment, given, $"give {option} - and pipe it on standard input", what);
    }

    private static string ResolveGiven(HznEnvironment environment, string given, string instead, string what)
    {
        if (given != Stdin)
        {
            throw new CliException(ExitCodes.Usage,
                $"the {what} was not used: on the command line every local user can read it (ps, /proc) and the shell's history keeps it; {instead}");
        }
        var line = environment.In.ReadLine();
        return string.IsNullOrEmpty(line)
            ? throw new CliException(ExitCodes.Usage, $"{what}: '-' reads it from standard input, which was empty")
            : line;
    }
}
