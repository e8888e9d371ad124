using System.Globalization;
using Horizon.Patterns.Versions;

namespace Horizon.Patterns.Constraints;

/// <summary>
/// How anax reads the value side of a comparison: numbers and truth values the way Go's
/// <c>strconv</c> reads them (<c>+1e5</c>, <c>Inf</c>, <c>t</c>, <c>0</c> included), and version ranges
/// the way its version library does (any order of bounds, no whitespace).
/// </summary>
internal static class OpenHorizonValues
{
    /// <summary>The value as Go's <c>ParseFloat</c> reads it, or null.</summary>
    public static double? ParseNumber(string text)
    {
        if (text.Length == 0)
        {
            return null;
        }

        var body = text.AsSpan();
        var negative = false;
        if (body[0] is '+' or '-')
        {
            negative = body[0] == '-';
            body = body[1..];
        }

        if (Special(body, text[0] is '+' or '-') is { } special)
        {
            return negative ? -special : special;
        }

        if (body.Length > 2 && body[0] == '0' && body[1] is 'x' or 'X')
        {
            return Hexadecimal(body[2..]) is { } hex ? (negative ? -hex : hex) : null;
        }

        foreach (var c in body)
        {
            if (!(char.IsAsciiDigit(c) || c is '.' or 'e' or 'E' or '+' or '-'))
            {
                return null;
            }
        }

        return double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
    }

    /// <summary>The value as Go's <c>ParseBool</c> reads it, or null.</summary>
    public static bool? ParseTruth(string text) => text switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => null,
    };

    /// <summary>Why anax's version library refuses a bracketed range lexeme, or null when it takes it.</summary>
    public static string? RangeProblem(string text)
    {
        if (text.Any(ConstraintCharacters.IsWhitespace))
        {
            return "a version range may not contain whitespace";
        }

        foreach (var part in text[1..^1].Split(','))
        {
            if (part != "INFINITY" && !IsVersion(part))
            {
                return $"\"{part}\" is not a version";
            }
        }

        return null;
    }

    /// <summary>
    /// A version or version range as anax evaluates it: a bare version means "at least"; the bounds are
    /// not required to be in order (a reversed range contains nothing).
    /// </summary>
    public static bool TryRange(string text, out VersionRange range)
    {
        range = VersionRange.Any;
        if (text.Length == 0 || text.Contains(' ', StringComparison.Ordinal))
        {
            return false;
        }

        if (text[0] is not ('[' or '(') && !text.Contains(',', StringComparison.Ordinal) && text[^1] is not (']' or ')'))
        {
            if (!ServiceVersion.TryParse(text, out var floor))
            {
                return false;
            }

            range = new VersionRange(floor, true, null, false);
            return true;
        }

        if (text.Length < 2 || text[0] is not ('[' or '(') || text[^1] is not (']' or ')'))
        {
            return false;
        }

        var parts = text[1..^1].Split(',');
        if (parts.Length != 2 || !ServiceVersion.TryParse(parts[0], out var lower))
        {
            return false;
        }

        ServiceVersion? upper = null;
        if (parts[1] != "INFINITY")
        {
            if (!ServiceVersion.TryParse(parts[1], out var bound))
            {
                return false;
            }

            upper = bound;
        }

        range = new VersionRange(lower, text[0] == '[', upper, upper is not null && text[^1] == ']');
        return true;
    }

    /// <summary>
    /// Whether <paramref name="version"/> is in <paramref name="range"/> as anax decides it: a version equal
    /// to an inclusive bound is in even when the bounds are reversed.
    /// </summary>
    public static bool Contains(VersionRange range, ServiceVersion version)
    {
        if ((version == range.Lower && range.LowerInclusive) || (version == range.Upper && range.UpperInclusive))
        {
            return true;
        }

        if (version == range.Lower || version == range.Upper)
        {
            return false;
        }

        return range.Lower < version && (range.Upper is not { } upper || version < upper);
    }

    /// <summary>anax's test for a value that looks like a range: a bracket at either end and two versions.</summary>
    public static bool LooksLikeRange(string text)
    {
        if (text.Length == 0 || (text[0] is not ('[' or '(') && text[^1] is not (']' or ')')))
        {
            return false;
        }

        var parts = text.Split(',');
        return parts.Length == 2 && parts[0].Length > 0 && parts[1].Length > 0
            && IsVersionOrInfinity(parts[0][1..]) && IsVersionOrInfinity(parts[1][..^1]);
    }

    public static bool IsVersionOrInfinity(string text) => text == "INFINITY" || IsVersion(text);

    private static bool IsVersion(string text) => ServiceVersion.TryParse(text, out _);

    private static double? Special(ReadOnlySpan<char> body, bool signed)
    {
        if (body.Equals("inf", StringComparison.OrdinalIgnoreCase) || body.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            return double.PositiveInfinity;
        }

        return !signed && body.Equals("nan", StringComparison.OrdinalIgnoreCase) ? double.NaN : null;
    }

    // Go's hexadecimal floating point: hex digits, an optional point, and a mandatory p exponent.
    private static double? Hexadecimal(ReadOnlySpan<char> body)
    {
        var p = body.IndexOfAny('p', 'P');
        if (p <= 0 || !int.TryParse(body[(p + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent))
        {
            return null;
        }

        double mantissa = 0;
        var scale = 0;
        var seenPoint = false;
        var digits = 0;
        foreach (var c in body[..p])
        {
            if (c == '.' && !seenPoint)
            {
                seenPoint = true;
                continue;
            }

            if (!char.IsAsciiHexDigit(c))
            {
                return null;
            }

            mantissa = (mantissa * 16) + Convert.ToInt32(c.ToString(), 16);
            scale += seenPoint ? 4 : 0;
            digits++;
        }

        return digits == 0 ? null : mantissa * Math.Pow(2, exponent - scale);
    }
}
