namespace Horizon.Exchange.Client;

/// <summary>
/// A list of exchange API roots that serve one database, as a setting reads it:
/// <c>http://a:3090/v1,http://b:3090/v1</c> (commas or whitespace between URLs).
/// </summary>
public static class ExchangeEndpoints
{
    /// <summary>Parses a list of one or more absolute http(s) URLs.</summary>
    /// <exception cref="FormatException">The list is empty or holds something that is not an absolute http(s) URL.</exception>
    public static IReadOnlyList<Uri> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split([',', ' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            throw new FormatException("no exchange URL given");
        }
        return [.. parts.Select(part => Uri.TryCreate(part, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? Normalize(uri)
            : throw new FormatException($"'{part}' is not an absolute http(s) URL"))];
    }

    /// <summary>An absolute http(s) URL ending in <c>/</c>, so relative paths resolve below it.</summary>
    /// <exception cref="ArgumentException">The URL is relative or not http(s).</exception>
    public static Uri Normalize(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.IsAbsoluteUri || endpoint.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"'{endpoint}' is not an absolute http(s) URL", nameof(endpoint));
        }
        var text = endpoint.AbsoluteUri;
        return text.EndsWith('/') ? endpoint : new Uri(text + "/");
    }
}
