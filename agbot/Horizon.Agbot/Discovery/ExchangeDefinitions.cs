using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Horizon.Exchange.Client;
using Horizon.Patterns.Json;
using Horizon.Patterns.Model;

namespace Horizon.Agbot.Discovery;

/// <summary>
/// Reads published patterns, deployment policies and services straight from the exchange's REST
/// routes (<c>/orgs/{org}/patterns/{id}</c>, <c>/business/policies/{id}</c>, <c>/services</c>),
/// which the typed exchange client does not cover yet. Documents are parsed with the
/// deployment-model library, the same one the exchange validated them with.
/// </summary>
public sealed class ExchangeDefinitions : IDisposable
{
    private readonly HttpClient _http;
    private readonly AuthenticationHeaderValue _auth;

    public ExchangeDefinitions(Uri exchangeUrl, ExchangeCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(exchangeUrl);
        ArgumentNullException.ThrowIfNull(credentials);
        var text = exchangeUrl.ToString();
        _http = new HttpClient { BaseAddress = new Uri(text.EndsWith('/') ? text : text + "/") };
        _auth = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Org}/{credentials.Id}:{credentials.Token}")));
    }

    /// <summary>The pattern, or null when it does not exist.</summary>
    /// <exception cref="ExchangeException">The exchange refused or failed.</exception>
    public async Task<Pattern?> GetPatternAsync(string org, string name, CancellationToken cancellationToken = default) =>
        await GetAsync($"orgs/{Uri.EscapeDataString(org)}/patterns/{Uri.EscapeDataString(name)}", cancellationToken) is { } json ? ModelJson.ParsePattern(json) : null;

    /// <summary>The deployment policy, or null when it does not exist.</summary>
    public async Task<DeploymentPolicy?> GetPolicyAsync(string org, string name, CancellationToken cancellationToken = default) =>
        await GetAsync($"orgs/{Uri.EscapeDataString(org)}/business/policies/{Uri.EscapeDataString(name)}", cancellationToken) is { } json ? ModelJson.ParseDeploymentPolicy(json) : null;

    /// <summary>Every service of <paramref name="org"/> this agbot may read; empty when the org has none.</summary>
    public async Task<IReadOnlyList<ServiceDefinition>> ListServicesAsync(string org, CancellationToken cancellationToken = default)
    {
        var json = await GetAsync($"orgs/{Uri.EscapeDataString(org)}/services", cancellationToken);
        if (json is null)
        {
            return [];
        }
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray()
            .Select(e => ModelJson.Deserialize(e, PatternsJsonContext.Default.ServiceDefinition))
            .Select(s => string.IsNullOrEmpty(s.Org) ? s with { Org = org } : s)
            .ToList();
    }

    private async Task<string?> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = _auth;
        using var response = await _http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new ExchangeException(response.StatusCode, null, $"GET {path}: {(int)response.StatusCode} {body}");
        }
        return body;
    }

    public void Dispose() => _http.Dispose();
}
