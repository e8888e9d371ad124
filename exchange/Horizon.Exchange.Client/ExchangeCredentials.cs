using System.Net.Http.Headers;
using System.Text;

namespace Horizon.Exchange.Client;

/// <summary>An identity <c>org/id</c> and its token, sent as HTTP Basic <c>org/id:token</c>.</summary>
public sealed record ExchangeCredentials(string Org, string Id, string Token)
{
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
