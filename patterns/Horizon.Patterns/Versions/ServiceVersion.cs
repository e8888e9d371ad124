using System.Globalization;

namespace Horizon.Patterns.Versions;

/// <summary>
/// A service version as Open Horizon writes it: one to three dot-separated non-negative integers
/// (<c>1</c>, <c>1.2</c>, <c>1.2.3</c>); missing parts are zero, so <c>1.2</c> equals <c>1.2.0</c>.
/// </summary>
public readonly record struct ServiceVersion(int Major, int Minor, int Patch) : IComparable<ServiceVersion>
{
    public static bool operator <(ServiceVersion left, ServiceVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(ServiceVersion left, ServiceVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(ServiceVersion left, ServiceVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(ServiceVersion left, ServiceVersion right) => left.CompareTo(right) >= 0;

    /// <summary>Parses a version.</summary>
    /// <exception cref="FormatException"><paramref name="text"/> is not a version; the message says <c>"1.x" is not a version</c>.</exception>
    public static ServiceVersion Parse(string? text) =>
        TryParse(text, out var version) ? version : throw new FormatException($"\"{text}\" is not a version");

    /// <summary>Parses a version, returning <see langword="false"/> for anything but 1–3 dot-separated integers.</summary>
    public static bool TryParse(string? text, out ServiceVersion version)
    {
        version = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        Span<int> parts = stackalloc int[3];
        var count = 0;
        var span = text.AsSpan();
        while (true)
        {
            var dot = span.IndexOf('.');
            var part = dot < 0 ? span : span[..dot];
            if (count == 3 || part.IsEmpty || !IsDigits(part)
                || !int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out parts[count]))
            {
                return false;
            }

            count++;
            if (dot < 0)
            {
                break;
            }

            span = span[(dot + 1)..];
        }

        version = new ServiceVersion(parts[0], count > 1 ? parts[1] : 0, count > 2 ? parts[2] : 0);
        return true;
    }

    public int CompareTo(ServiceVersion other)
    {
        var c = Major.CompareTo(other.Major);
        if (c != 0)
        {
            return c;
        }

        c = Minor.CompareTo(other.Minor);
        return c != 0 ? c : Patch.CompareTo(other.Patch);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}");

    private static bool IsDigits(ReadOnlySpan<char> part)
    {
        foreach (var ch in part)
        {
            if (ch is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }
}
