namespace Horizon.Docker;

/// <summary>Escapes names and references placed in a request path.</summary>
internal static class PathSegment
{
    /// <summary>A container, network or exec id or name: one path segment.</summary>
    /// <exception cref="ArgumentException">Empty or blank.</exception>
    public static string Id(string value, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, parameterName);
        return Uri.EscapeDataString(value);
    }

    /// <summary>
    /// An image reference such as <c>127.0.0.1:5000/repo@sha256:…</c>. The engine's router takes the
    /// rest of the path as the name, so '/', ':' and '@' stay literal.
    /// </summary>
    /// <exception cref="ArgumentException">Empty or blank.</exception>
    public static string ImageReference(string value, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, parameterName);
        return Uri.EscapeDataString(value)
            .Replace("%2F", "/", StringComparison.Ordinal)
            .Replace("%3A", ":", StringComparison.Ordinal)
            .Replace("%40", "@", StringComparison.Ordinal);
    }
}
