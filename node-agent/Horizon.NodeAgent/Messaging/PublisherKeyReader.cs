using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Horizon.Agreements;
using Horizon.Exchange.Client;

namespace Horizon.NodeAgent.Messaging;

/// <summary>
/// Reads the publisher signing keys of services from the exchange (<c>GET /orgs/{org}/services</c>,
/// each service's <c>publicKey</c>). It reads the listing loosely rather than through the typed
/// client's <c>ListServicesAsync</c>: it needs only the keys, accepts Open Horizon's object shape as
/// well as a list, and a missing org means no keys rather than an error.
/// </summary>
public sealed class PublisherKeyReader : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Uri _baseUrl;
    private readonly AuthenticationHeaderValue _auth;

    /// <summary>A reader with an HTTP client of its own.</summary>
    public PublisherKeyReader(Uri exchangeUrl, ExchangeCredentials credentials)
        : this(new HttpClient(), exchangeUrl, credentials, ownsHttp: true)
    {
    }

    /// <summary>A reader on a client the caller owns (the agent's <see cref="Hosting.ExchangeConnectionPool"/>).</summary>
    public PublisherKeyReader(HttpClient sharedHttp, Uri exchangeUrl, ExchangeCredentials credentials)
        : this(sharedHttp, exchangeUrl, credentials, ownsHttp: false)
    {
    }

    private PublisherKeyReader(HttpClient http, Uri exchangeUrl, ExchangeCredentials credentials, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(exchangeUrl);
        ArgumentNullException.ThrowIfNull(credentials);
        _http = http;
        _ownsHttp = ownsHttp;
        _baseUrl = new Uri(exchangeUrl.ToString().TrimEnd('/') + "/");
        _auth = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Org}/{credentials.Id}:{credentials.Token}")));
    }

    /// <summary>The keys of each service of <paramref name="services"/>, by <see cref="WorkloadService.Key"/>; a service the exchange does not publish has none.</summary>
    /// <exception cref="ExchangeException">The exchange refused or failed; the caller retries rather than declines.</exception>
    /// <exception cref="HttpRequestException">The exchange cannot be reached.</exception>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> ReadAsync(IEnumerable<WorkloadService> services, CancellationToken cancellationToken)
    {
        var keys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var byOrg in services.GroupBy(s => s.Org, StringComparer.Ordinal))
        {
            var path = $"orgs/{Uri.EscapeDataString(byOrg.Key)}/services";
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_baseUrl, path));
            request.Headers.Authorization = _auth;
            using var response = await _http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                continue;
            }
            if (!response.IsSuccessStatusCode)
            {
                throw new ExchangeException(response.StatusCode, null, $"GET {path}: {(int)response.StatusCode} {body}");
            }
            using var document = JsonDocument.Parse(body);
            foreach (var service in byOrg)
            {
                keys[service.Key] = [.. Published(document.RootElement)
                    .Where(e => Text(e, "url") == service.Url && Text(e, "version") == service.Version && Text(e, "arch") == service.Arch)
                    .Select(e => Text(e, "publicKey"))
                    .OfType<string>()
                    .Where(k => k.Length > 0)];
            }
        }
        return keys;
    }

    private static IEnumerable<JsonElement> Published(JsonElement root) => root.ValueKind switch
    {
        JsonValueKind.Array => root.EnumerateArray(),
        // Open Horizon's shape: {"services": {"org/id": {...}}}.
        JsonValueKind.Object when root.TryGetProperty("services", out var s) && s.ValueKind == JsonValueKind.Object => s.EnumerateObject().Select(p => p.Value),
        _ => [],
    };

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }
}
