using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Horizon.Exchange.Client;

/// <summary>
/// A typed client of the exchange's REST API under <c>/v1</c>, acting as one identity.
/// Every call throws <see cref="ExchangeUnauthorizedException"/> (401),
/// <see cref="ExchangeForbiddenException"/> (403), <see cref="ExchangeNotFoundException"/> (404),
/// <see cref="ExchangeConflictException"/> (409) or <see cref="ExchangeException"/> (any other
/// error status) with the server's problem details, and <see cref="HttpRequestException"/> when
/// the exchange cannot be reached.
/// </summary>
public sealed partial class ExchangeClient : IDisposable
{
    /// <summary>The response header carrying the cursor of the next page of a listing.</summary>
    public const string NextCursorHeader = "X-Next-Cursor";

    // Properties, not static fields: a static field's initializer would make every call touch both contexts,
    // and a NativeAOT program that touches a context compiles JSON code for all of its types (PartyJsonContext).
    private static ExchangeJsonContext Json => ExchangeJsonContext.Default;
    private static PartyJsonContext PartyJson => PartyJsonContext.Default;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Uri _baseUrl;

    /// <param name="exchangeUrl">The API root, e.g. <c>http://127.0.0.1:3090/v1</c>.</param>
    public ExchangeClient(Uri exchangeUrl, ExchangeCredentials credentials)
        : this(new HttpClient(), exchangeUrl, credentials, ownsHttpClient: true)
    {
    }

    /// <param name="exchangeUrls">
    /// API roots of several exchanges on one database: each request goes to the one that last answered
    /// and moves on to the next when it is unreachable (<see cref="ExchangeFailoverHandler"/>).
    /// </param>
    /// <exception cref="ArgumentException">No URL, or one that is not an absolute http(s) URL.</exception>
    public ExchangeClient(IReadOnlyList<Uri> exchangeUrls, ExchangeCredentials credentials)
        : this(new HttpClient(new ExchangeFailoverHandler(exchangeUrls)), FirstOf(exchangeUrls), credentials, ownsHttpClient: true)
    {
    }

    /// <param name="httpClient">A client the caller owns; its default headers are left alone.</param>
    public ExchangeClient(HttpClient httpClient, Uri exchangeUrl, ExchangeCredentials credentials)
        : this(httpClient, exchangeUrl, credentials, ownsHttpClient: false)
    {
    }

    private ExchangeClient(HttpClient httpClient, Uri exchangeUrl, ExchangeCredentials credentials, bool ownsHttpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(exchangeUrl);
        _http = httpClient;
        _ownsHttp = ownsHttpClient;
        var text = exchangeUrl.ToString();
        _baseUrl = new Uri(text.EndsWith('/') ? text : text + "/");
        Credentials = credentials ?? throw new ArgumentNullException(nameof(credentials));
    }

    public ExchangeCredentials Credentials { get; }

    /// <summary>The org of <see cref="Credentials"/>, used where a method takes no org.</summary>
    public string Org => Credentials.Org;

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private static Uri FirstOf(IReadOnlyList<Uri> exchangeUrls) =>
        exchangeUrls is [var first, ..] ? ExchangeEndpoints.Normalize(first) : throw new ArgumentException("at least one exchange URL is needed", nameof(exchangeUrls));

    private static string Path(params string[] segments) => string.Join('/', segments.Select(Uri.EscapeDataString));

    private async Task<TResponse> SendAsync<TResponse>(HttpMethod method, string path, HttpContent? content,
        JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, path, content, cancellationToken);
        var result = await response.Content.ReadFromJsonAsync(responseType, cancellationToken);
        return result ?? throw new ExchangeException(response.StatusCode, null, $"{method} {path}: the exchange returned an empty body");
    }

    private async Task<(TResponse Value, string? NextCursor)> SendPagedAsync<TResponse>(string path,
        JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(HttpMethod.Get, path, null, cancellationToken);
        var result = await response.Content.ReadFromJsonAsync(responseType, cancellationToken)
            ?? throw new ExchangeException(response.StatusCode, null, $"GET {path}: the exchange returned an empty body");
        var cursor = response.Headers.TryGetValues(NextCursorHeader, out var values) ? values.FirstOrDefault() : null;
        return (result, cursor);
    }

    private async Task SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, path, content, cancellationToken);
    }

    private static JsonContent Body<T>(T value, JsonTypeInfo<T> type) => JsonContent.Create(value, type);

    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_baseUrl, path)) { Content = content };
        if (Credentials.HasToken)
        {
            request.Headers.Authorization = Credentials.ToHeader();
        }
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            throw await ToExceptionAsync(method, path, response, cancellationToken);
        }
    }

    private async Task<ExchangeException> ToExceptionAsync(HttpMethod method, string path, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ProblemDocument? problem = null;
        try
        {
            problem = await response.Content.ReadFromJsonAsync(PartyJson.ProblemDocument, cancellationToken);
        }
        catch (JsonException)
        {
            // Not a problem document (a proxy's page, say): the status code still says enough.
        }
        var message = $"{method} {path}: {(int)response.StatusCode} {problem?.Detail ?? problem?.Title ?? response.ReasonPhrase}";
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new ExchangeUnauthorizedException(problem, message),
            HttpStatusCode.Forbidden => new ExchangeForbiddenException(Credentials.ToString(), $"{method} {path}", problem),
            HttpStatusCode.NotFound => new ExchangeNotFoundException(problem, message),
            HttpStatusCode.Conflict => new ExchangeConflictException(problem, message),
            _ => new ExchangeException(response.StatusCode, problem, message),
        };
    }
}
