using System.Text;
using Horizon.Patterns.Validation;

namespace Horizon.Patterns.Files;

/// <summary>
/// The text transformations Open Horizon's <c>hzn</c> applies to publisher files before reading them:
/// <c>/* */</c> comments removed and <c>$VAR</c> / <c>${VAR}</c> replaced from the given variables.
/// </summary>
public static class HznText
{
    /// <summary>Removes comments (outside strings) and substitutes variables.</summary>
    /// <exception cref="ModelFormatException">A comment is not closed or a variable is not set; all unset variables are listed.</exception>
    public static string Prepare(string text, IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(variables);
        return Substitute(StripComments(text), variables);
    }

    /// <summary>Removes <c>/* ... */</c> comments that are not inside JSON strings.</summary>
    /// <exception cref="ModelFormatException">A comment is not closed.</exception>
    public static string StripComments(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var output = new StringBuilder(text.Length);
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                output.Append(c);
                if (c == '\\' && i + 1 < text.Length)
                {
                    output.Append(text[++i]);
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    throw new ModelFormatException($"a /* comment starting at offset {i} is not closed");
                }

                // Keep line breaks so JSON error line numbers still match the file.
                output.Append('\n', text.AsSpan(i, end + 2 - i).Count('\n'));
                i = end + 1;
            }
            else
            {
                inString = c == '"';
                output.Append(c);
            }
        }

        return output.ToString();
    }

    /// <summary>Replaces <c>$NAME</c> and <c>${NAME}</c>; a <c>$</c> not followed by a name stays as it is.</summary>
    /// <exception cref="ModelFormatException">A referenced variable is not set; every such variable is listed.</exception>
    public static string Substitute(string text, IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(variables);
        var output = new StringBuilder(text.Length);
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '$' || i + 1 >= text.Length)
            {
                output.Append(text[i]);
                continue;
            }

            var braced = text[i + 1] == '{';
            var start = braced ? i + 2 : i + 1;
            var end = start;
            while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_'))
            {
                end++;
            }

            if (end == start || char.IsAsciiDigit(text[start]) || (braced && (end >= text.Length || text[end] != '}')))
            {
                output.Append(text[i]);
                continue;
            }

            var name = text[start..end];
            if (variables.TryGetValue(name, out var value))
            {
                output.Append(value);
            }
            else
            {
                missing.Add(name);
            }

            i = braced ? end : end - 1;
        }

        return missing.Count == 0
            ? output.ToString()
            : throw new ModelFormatException(missing.Select(m => new ValidationError("", $"variable ${m} is not set (set it in the environment or in hzn.json MetadataVars)")).ToList());
    }
}
