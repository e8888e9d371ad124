using Horizon.Docker;

namespace Horizon.Cli.Publishing;

/// <summary>A registry login given as Open Horizon's <c>-r registry:user:token</c> (the registry may carry a port).</summary>
internal sealed record RegistryAuth(string Registry, string User, string Token)
{
    /// <exception cref="CliException">The text is not registry:user:token.</exception>
    public static RegistryAuth Parse(string text)
    {
        // The token and user are the last two fields, so a registry's ":port" stays with the registry.
        var tokenAt = text.LastIndexOf(':');
        var userAt = tokenAt > 0 ? text.LastIndexOf(':', tokenAt - 1) : -1;
        if (userAt <= 0 || tokenAt - userAt < 2 || tokenAt == text.Length - 1)
        {
            throw new CliException(ExitCodes.Usage, $"-r \"{Redacted(text)}\" is not registry:user:token (for example 127.0.0.1:5000:alice:secret)");
        }
        return new RegistryAuth(text[..userAt], text[(userAt + 1)..tokenAt], text[(tokenAt + 1)..]);
    }

    public RegistryCredentials ToDocker() => new(User, Token, Registry);

    public override string ToString() => $"{Registry}:{User}:***";

    private static string Redacted(string text) => text.Length <= 4 ? "***" : text[..Math.Min(text.Length / 2, 24)] + "…";
}
