using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Horizon.Exchange.Client;

namespace Horizon.Cli.Exchange;

/// <summary>
/// The exchange's services, patterns and deployment policies over plain HTTP: the typed
/// <see cref="ExchangeClient"/> carries no calls for them yet (routes in
/// exchange/Horizon.Exchange/Api/DefinitionsApi.cs). Documents travel as the JSON the deployment-model
/// library reads and writes. Errors are the typed client's exceptions, so callers treat both alike.
/// </summary>
internal sealed class DefinitionsClient : IDisposable
{
    public const string Services = "services";
    public const string Patterns = "patterns";
    public const string Policies = "business/policies";

    private readonly HttpClient _http = new();
    private readonly Uri _baseUrl;
    private readonly AuthenticationHeaderValue _auth;

    public DefinitionsClient(Uri exchangeUrl, ExchangeCredentials credentials)
    {
        var text = exchangeUrl.ToString();
        _baseUrl = new Uri(text.EndsWith('/') ? text : text + "/");
        _auth = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Org}/{credentials.Id}:{credentials.Token}")));
    }

    /// <summary>The JSON array of an org's definitions of one kind.</summary>
    public Task<string> ListAsync(string kind, string org, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"orgs/{Escape(org)}/{kind}", null, cancellationToken);

    /// <summary>One definition's JSON.</summary>
    /// <exception cref="ExchangeNotFoundException">No such definition.</exception>
    public Task<string> GetAsync(string kind, string org, string id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"orgs/{Escape(org)}/{kind}/{Escape(id)}", null, cancellationToken);

    /// <summary>Publishes (adds or replaces) a service; the exchange derives its id from url, version and arch.</summary>
    public Task<string> PublishServiceAsync(string org, string json, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"orgs/{Escape(org)}/{Services}", json, cancellationToken);

    /// <summary>Adds or replaces a pattern or deployment policy under <paramref name="id"/>.</summary>
    public Task<string> PutAsync(string kind, string org, string id, string json, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, $"orgs/{Escape(org)}/{kind}/{Escape(id)}", json, cancellationToken);

    /// <exception cref="ExchangeNotFoundException">No such definition.</exception>
    public Task<string> DeleteAsync(string kind, string org, string id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"orgs/{Escape(org)}/{kind}/{Escape(id)}", null, cancellationToken);

    public void Dispose() => _http.Dispose();

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private async Task<string> SendAsync(HttpMethod method, string path, string? json, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_baseUrl, path));
        request.Headers.Authorization = _auth;
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        using var response = await _http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return body;
        }
        ProblemDocument? problem = null;
        try
        {
            problem = JsonSerializer.Deserialize(body, ExchangeJsonContext.Default.ProblemDocument);
        }
        catch (JsonException)
        {
            // Not a problem document; the status still says enough.
        }
        var message = $"{method} {path}: {(int)response.StatusCode} {problem?.Detail ?? problem?.Title ?? response.ReasonPhrase}";
        throw response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new ExchangeUnauthorizedException(problem, message),
            HttpStatusCode.Forbidden => new ExchangeForbiddenException(problem, message),
            HttpStatusCode.NotFound => new ExchangeNotFoundException(problem, message),
            HttpStatusCode.Conflict => new ExchangeConflictException(problem, message),
            _ => new ExchangeException(response.StatusCode, problem, message),
        };
    }
}
