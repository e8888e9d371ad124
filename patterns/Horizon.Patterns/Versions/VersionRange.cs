namespace Horizon.Patterns.Versions;

/// <summary>
/// An Open Horizon version range: <c>[1.0.0,2.0.0)</c> with <c>[</c>/<c>]</c> inclusive and
/// <c>(</c>/<c>)</c> exclusive bounds, <c>INFINITY</c> as an open upper bound, and a bare version
/// <c>1.2.0</c> meaning <c>[1.2.0,INFINITY)</c>.
/// </summary>
public sealed record VersionRange(ServiceVersion Lower, bool LowerInclusive, ServiceVersion? Upper, bool UpperInclusive)
{
    /// <summary>Every version: <c>[0.0.0,INFINITY)</c>.</summary>
    public static VersionRange Any { get; } = new(new ServiceVersion(0, 0, 0), true, null, false);

    /// <summary>Parses a range.</summary>
    /// <exception cref="FormatException">The text is not a range; the message says why.</exception>
    public static VersionRange Parse(string? text) =>
        TryParse(text, out var range, out var error) ? range : throw new FormatException(error);

    /// <summary>Parses a range; on failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(string? text, out VersionRange range, out string error)
    {
        range = Any;
        error = "";
        var trimmed = (text ?? "").Trim();
        if (trimmed.Length == 0)
        {
            error = "\"\" is not a version range";
            return false;
        }

        if (trimmed[0] is not ('[' or '('))
        {
            if (!ServiceVersion.TryParse(trimmed, out var floor))
            {
                error = $"\"{trimmed}\" is not a version or version range";
                return false;
            }

            range = new VersionRange(floor, true, null, false);
            return true;
        }

        var last = trimmed[^1];
        if (last is not (']' or ')'))
        {
            error = $"\"{trimmed}\" is not a version range: it must end with \"]\" or \")\"";
            return false;
        }

        var body = trimmed[1..^1].Split(',');
        if (body.Length != 2)
        {
            error = $"\"{trimmed}\" is not a version range: expected two versions separated by a comma";
            return false;
        }

        if (!ServiceVersion.TryParse(body[0].Trim(), out var lower))
        {
            error = $"\"{trimmed}\" is not a version range: \"{body[0].Trim()}\" is not a version";
            return false;
        }

        ServiceVersion? upper = null;
        var upperText = body[1].Trim();
        if (!upperText.Equals("INFINITY", StringComparison.OrdinalIgnoreCase))
        {
            if (!ServiceVersion.TryParse(upperText, out var u))
            {
                error = $"\"{trimmed}\" is not a version range: \"{upperText}\" is not a version";
                return false;
            }

            upper = u;
        }

        range = new VersionRange(lower, trimmed[0] == '[', upper, upper is not null && last == ']');
        if (upper is { } up && (up < lower || (up == lower && !(range.LowerInclusive && range.UpperInclusive))))
        {
            error = $"\"{trimmed}\" is an empty version range";
            return false;
        }

        return true;
    }

    /// <summary>Whether <paramref name="version"/> lies within the range.</summary>
    public bool Contains(ServiceVersion version)
    {
        var c = version.CompareTo(Lower);
        if (c < 0 || (c == 0 && !LowerInclusive))
        {
            return false;
        }

        if (Upper is not { } upper)
        {
            return true;
        }

        c = version.CompareTo(upper);
        return c < 0 || (c == 0 && UpperInclusive);
    }

    public override string ToString() =>
        $"{(LowerInclusive ? '[' : '(')}{Lower},{(Upper is { } u ? u.ToString() : "INFINITY")}{(UpperInclusive ? ']' : ')')}";
}
