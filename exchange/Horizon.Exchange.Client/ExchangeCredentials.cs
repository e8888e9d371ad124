using System.Net.Http.Headers;
using System.Text;

namespace Horizon.Exchange.Client;

/// <summary>
/// An identity <c>org/id</c> and its token, sent as HTTP Basic <c>org/id:token</c>. An empty token sends no Basic
/// credentials: the identity is proven otherwise (an enrolled node's device certificate, presented by the
/// connection's TLS handler, see <see cref="ExchangeTls"/>).
/// </summary>
public sealed record ExchangeCredentials(string Org, string Id, string Token)
{
    /// <summary>An enrolled node <c>org/id</c> that authenticates by its device certificate, not by a token.</summary>
    public static ExchangeCredentials ByCertificate(string org, string id) => new(org, id, "");

    /// <summary>Whether requests carry Basic credentials (a token is set).</summary>
    public bool HasToken => !string.IsNullOrEmpty(Token);

    /// <summary>Parses <c>org/id:token</c>.</summary>
    /// <exception cref="FormatException">The text is not of the form org/id:token.</exception>
    public static ExchangeCredentials Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var slash = colon < 0 ? -1 : text.IndexOf('/', StringComparison.Ordinal);
        if (colon < 0 || slash <= 0 || slash > colon - 2)
        {
            throw new FormatException("credentials must read org/id:token");
        }
        return new ExchangeCredentials(text[..slash], text[(slash + 1)..colon], text[(colon + 1)..]);
    }

    internal AuthenticationHeaderValue ToHeader() =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Org}/{Id}:{Token}")));

    /// <summary>Leaves the token out, so credentials can be logged.</summary>
    public override string ToString() => $"{Org}/{Id}";
}
