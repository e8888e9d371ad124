using System.Text.RegularExpressions;

namespace Horizon.Switchboard.Mailboxes;

/// <summary>A JetStream domain name as Horizon accepts it: one subject token, safe in a configuration file.</summary>
public static partial class JetStreamDomainName
{
    public const string Rule = "1-32 letters, digits, '-' or '_'";

    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    private static partial Regex Pattern();
}
