namespace Horizon.Nats.Internal;

/// <summary>One server to try: host, port, scheme and credentials embedded in its URL.</summary>
internal sealed record ServerAddress(string Host, int Port, bool Tls, string? User, string? Password, string? Token)
{
    public const int DefaultPort = 4222;

    public override string ToString() => $"{(Tls ? "tls" : "nats")}://{Host}:{Port}";

    /// <summary>Parses <c>nats://[user:pass@|token@]host[:port]</c>, <c>tls://…</c>, or a bare <c>host:port</c>.</summary>
    /// <exception cref="ArgumentException">The URL cannot be understood.</exception>
    public static ServerAddress Parse(string url)
    {
        var text = url.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "nats://" + text;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"'{url}' is not a NATS server URL", nameof(url));
        }
        var tls = uri.Scheme switch
        {
            "nats" => false,
            "tls" => true,
            _ => throw new ArgumentException($"'{url}': the scheme must be nats:// or tls://", nameof(url)),
        };
        string? user = null, password = null, token = null;
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var parts = uri.UserInfo.Split(':', 2);
            if (parts.Length == 2)
            {
                user = Uri.UnescapeDataString(parts[0]);
                password = Uri.UnescapeDataString(parts[1]);
            }
            else
            {
                token = Uri.UnescapeDataString(parts[0]);
            }
        }
        var host = uri.Host.Trim('[', ']');
        return new ServerAddress(host, uri.IsDefaultPort || uri.Port <= 0 ? DefaultPort : uri.Port, tls, user, password, token);
    }

    /// <summary>Parses a comma-separated list.</summary>
    public static List<ServerAddress> ParseList(string urls)
    {
        var list = new List<ServerAddress>();
        foreach (var part in urls.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            list.Add(Parse(part));
        }
        if (list.Count == 0)
        {
            throw new ArgumentException("no server URL given", nameof(urls));
        }
        return list;
    }

    public bool SameEndpoint(ServerAddress other) =>
        Port == other.Port && string.Equals(Host, other.Host, StringComparison.OrdinalIgnoreCase);
}
