namespace Horizon.Patterns.Constraints;

/// <summary>
/// The character classes of Open Horizon's constraint language. Letters are ASCII plus the blocks
/// anax lists (Latin-1, CJK, kana, hangul, full-width forms, currency symbols); names and unquoted
/// values may also hold <c>_ - / ! ? + ~ ' .</c>; quoted values may add spaces and tabs, lists commas.
/// </summary>
internal static class ConstraintCharacters
{
    private const string NamePunctuation = "_-/!?+~'.";

    public static bool IsWhitespace(char c) => c is ' ' or '\t' or '\n' or '\r';

    public static bool IsDigit(char c) => c is >= '0' and <= '9';

    public static bool IsLetter(char c) =>
        c is >= 'a' and <= 'z' or >= 'A' and <= 'Z'
            or >= '\u00A0' and <= '\u00FF'
            or >= '\u1100' and <= '\u11FF'
            or >= '\u20A0' and <= '\u20CF'
            or >= '\u3040' and <= '\u309F'
            or >= '\u30A0' and <= '\u30FF'
            or >= '\u4E00' and <= '\u9FFF'
            or >= '\uAC00' and <= '\uD7AF'
            or >= '\uFF00' and <= '\uFFEF';

    public static bool IsNameChar(char c) => IsDigit(c) || IsLetter(c) || NamePunctuation.Contains(c, StringComparison.Ordinal);

    public static bool IsQuotedChar(char c) => IsNameChar(c) || c is ' ' or '\t';

    public static bool IsListChar(char c) => IsQuotedChar(c) || c == ',';

    /// <summary>Go's <c>strings.TrimSpace</c>, which anax applies to what it compares: every Unicode space.</summary>
    public static string TrimUnicodeSpace(string text) => text.Trim();

    /// <summary>anax's <c>removeSpaces</c>: only the ASCII space is trimmed.</summary>
    public static string TrimSpaces(string text) => text.Trim(' ');

    /// <summary>anax's <c>removeQuotes</c>: one pair of surrounding double quotes.</summary>
    public static string Unquote(string text) =>
        text.Length >= 2 && text[0] == '"' && text[^1] == '"' ? text[1..^1] : text;
}
