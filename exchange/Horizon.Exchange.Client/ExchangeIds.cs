using System.Globalization;
using System.Text;

namespace Horizon.Exchange.Client;

/// <summary>
/// The one rule every exchange id follows — orgs, users, nodes, agbots, services, patterns,
/// deployment policies, agreements, served entries — and the exchange applies to every path
/// segment before routing: 1 to <see cref="MaxLength"/> ASCII letters, digits, '-', '_' and '.',
/// starting with a letter or digit, without "..". Nothing else needs escaping in a URL, a file
/// name or a log line, and no id can look like another (no confusable, invisible or control
/// characters, no right-to-left overrides).
/// </summary>
public static class ExchangeIds
{
    /// <summary>The longest id accepted.</summary>
    public const int MaxLength = 128;

    /// <summary>Rule names, as the errors quote them.</summary>
    public const string LengthRule = "id-length";
    public const string CharsetRule = "id-charset";
    public const string StartRule = "id-start";
    public const string DotsRule = "id-dots";

    /// <summary>Null when <paramref name="id"/> follows the rule; otherwise a message naming <paramref name="what"/>, the rule and the offending character.</summary>
    public static string? Check(string what, string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxLength)
        {
            return $"{what} {Quote(id ?? "")} is refused (rule {LengthRule}): ids are 1 to {MaxLength} characters, this one has {id?.Length ?? 0}";
        }
        for (var i = 0; i < id.Length; i++)
        {
            if (!IsIdChar(id[i]))
            {
                return $"{what} {Quote(id)} is refused (rule {CharsetRule}): ids use only ASCII letters, digits, '-', '_' and '.'; " +
                    $"found {Describe(id[i])} at position {i + 1}";
            }
        }
        if (!char.IsAsciiLetterOrDigit(id[0]))
        {
            return $"{what} {Quote(id)} is refused (rule {StartRule}): ids start with a letter or digit, not {Describe(id[0])}";
        }
        return id.Contains("..", StringComparison.Ordinal)
            ? $"{what} {Quote(id)} is refused (rule {DotsRule}): ids never contain \"..\""
            : null;
    }

    /// <summary>True when <paramref name="id"/> follows the rule.</summary>
    public static bool IsValid(string? id) => Check("id", id) is null;

    /// <summary>True for the characters an id may hold.</summary>
    public static bool IsIdChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';

    /// <summary>
    /// Splits Open Horizon's qualified form <c>org/name</c> (e.g. <c>IBM/policy-x</c>); both halves follow the id rule.
    /// Null when <paramref name="text"/> has no '/', and a message in <paramref name="error"/> when a half breaks the rule.
    /// </summary>
    public static (string Org, string Name)? ParseQualified(string what, string text, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            error = null;
            return null;
        }
        error = Check($"the org of {what}", text[..slash]) ?? Check($"the name of {what}", text[(slash + 1)..]);
        return error is null ? (text[..slash], text[(slash + 1)..]) : null;
    }

    /// <summary>
    /// Open Horizon's service id: the url without its scheme, '/' and ':' turned into '-', then
    /// <c>_version_arch</c> — <c>https://example.com/hello</c> 1.0.0 amd64 is <c>example.com-hello_1.0.0_amd64</c>.
    /// </summary>
    public static string ServiceId(string url, string version, string arch)
    {
        ArgumentNullException.ThrowIfNull(url);
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var bare = scheme >= 0 ? url[(scheme + 3)..] : url;
        return $"{bare.Replace('/', '-').Replace(':', '-')}_{version}_{arch}";
    }

    /// <summary>The id in quotes, with anything outside printable ASCII shown as <c>\uXXXX</c> and long ids cut, so an error never carries the characters it refuses.</summary>
    public static string Quote(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var builder = new StringBuilder("\"");
        foreach (var c in id.Length > 80 ? id[..80] : id)
        {
            if (c is >= ' ' and <= '~' && c != '"' && c != '\\')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
        }
        return builder.Append(id.Length > 80 ? "\"…" : "\"").ToString();
    }

    private static string Describe(char c) => c is > ' ' and <= '~'
        ? $"'{c}'"
        : "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture)
            + (char.IsControl(c) ? " (a control character)" : c > '~' ? " (not ASCII)" : c == ' ' ? " (a space)" : "");
}
