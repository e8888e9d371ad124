using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Horizon.Cli.Agent;

/// <summary>
/// The node agent's local API on <c>127.0.0.1:8510</c> (node-agent/Horizon.NodeAgent/Api/LocalApi.cs):
/// <c>GET /node</c>, <c>GET /agreements</c>, <c>GET /services</c>, <c>GET /eventlog</c>. Registration
/// (<c>POST /node</c>), unregistration (<c>DELETE /node</c>) and cancelling (<c>DELETE /agreements/{id}</c>)
/// are the routes the CLI asks the agent for, with the node owner's token when this user may read it; until the agent serves them they answer 404/405, which the
/// CLI reports. Answers are JSON and passed through as they are, so the CLI shows whatever fields the agent reports.
/// </summary>
internal sealed class AgentClient(Uri baseUrl) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The node's registration and configuration state.</summary>
    /// <exception cref="CliException">The agent answered with an error (exit code by status).</exception>
    /// <exception cref="HttpRequestException">The agent cannot be reached.</exception>
    public Task<JsonElement> GetNodeAsync(CancellationToken cancellationToken = default) => GetAsync("node", cancellationToken);

    public Task<JsonElement> ListAgreementsAsync(CancellationToken cancellationToken = default) => GetAsync("agreements", cancellationToken);

    public Task<JsonElement> ListServicesAsync(CancellationToken cancellationToken = default) => GetAsync("services", cancellationToken);

    public Task<JsonElement> ListEventLogAsync(CancellationToken cancellationToken = default) => GetAsync("eventlog", cancellationToken);

    /// <summary>The node's policy with its built-in properties (<c>GET /node/policy</c>).</summary>
    public Task<JsonElement> GetNodePolicyAsync(CancellationToken cancellationToken = default) => GetAsync("node/policy", cancellationToken);

    /// <summary>
    /// The log lines of a service's container (<c>GET /services/{url}/log</c>), the last ones first; with
    /// <paramref name="follow"/>, new lines as they come until the container stops or the caller cancels.
    /// </summary>
    /// <exception cref="CliException">The agent answered with an error: no such service running here (exit 2), or another.</exception>
    public async IAsyncEnumerable<string> ReadServiceLogAsync(string url, string? org, string? version, string? container, bool follow,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var query = new List<string> { "tail=200" };
        if (follow)
        {
            query.Add("follow=true");
        }
        foreach (var (name, value) in new[] { ("org", org), ("version", version), ("container", container) })
        {
            if (value is not null)
            {
                query.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }
        var path = $"services/{Uri.EscapeDataString(url)}/log?{string.Join('&', query)}";
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var streaming = new HttpClient { BaseAddress = _http.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        using var response = await streaming.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw Failure(HttpMethod.Get, path, response, body);
        }
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            yield return line;
        }
    }

    /// <summary>Registers the node: <c>POST /node</c> with id, token, org, pattern or policy and user input.</summary>
    public Task<JsonElement> RegisterAsync(string registrationJson, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "node", registrationJson, cancellationToken);

    /// <summary>Unregisters: the agent cancels agreements, stops containers and leaves the exchange.</summary>
    public Task<JsonElement> UnregisterAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, "node", null, cancellationToken);

    /// <summary>Cancels one agreement.</summary>
    public Task<JsonElement> CancelAgreementAsync(string agreementId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, "agreements/" + Uri.EscapeDataString(agreementId), null, cancellationToken);

    public void Dispose() => _http.Dispose();

    private Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Get, path, null, cancellationToken);

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, string? json, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        if (method != HttpMethod.Get)
        {
            await AuthorizeAsync(request, cancellationToken);
        }
        using var response = await _http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw Failure(method, path, response, body);
        }
        if (string.IsNullOrWhiteSpace(body))
        {
            return default;
        }
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new CliException(ExitCodes.RemoteFailure, $"the node agent answered {method} /{path} with something that is not JSON");
        }
    }

    /// <summary>
    /// Writes need the node owner's token (node-agent/README.md): the file <c>GET /node</c> names as
    /// <c>localApiTokenFile</c> (or <c>HZN_AGENT_TOKEN_FILE</c>), readable only by the agent's user.
    /// A user who cannot read it sends none, and the agent's 401 says what to do.
    /// </summary>
    private async Task AuthorizeAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var file = Environment.GetEnvironmentVariable("HZN_AGENT_TOKEN_FILE");
        if (string.IsNullOrWhiteSpace(file))
        {
            var node = await GetNodeAsync(cancellationToken);
            file = node.ValueKind == JsonValueKind.Object && node.TryGetProperty("localApiTokenFile", out var named) && named.ValueKind == JsonValueKind.String
                ? named.GetString()
                : null;
        }
        if (string.IsNullOrWhiteSpace(file))
        {
            return;
        }
        try
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(file, cancellationToken)).Trim());
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // Not this user's to read: the agent refuses the write and names the file.
        }
    }

    private static CliException Failure(HttpMethod method, string path, HttpResponseMessage response, string body)
    {
        var what = $"the node agent answered {method} /{path.Split('?')[0]} with {(int)response.StatusCode}: {AgentMessage(body) ?? response.ReasonPhrase}";
        return response.StatusCode switch
        {
            HttpStatusCode.NotFound => new CliException(ExitCodes.NotFound, what),
            HttpStatusCode.MethodNotAllowed => new CliException(ExitCodes.RemoteFailure, what + " (this node agent does not offer that)"),
            HttpStatusCode.Conflict => new CliException(ExitCodes.Conflict, what),
            HttpStatusCode.BadRequest => new CliException(ExitCodes.Usage, what),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new CliException(ExitCodes.Unauthorized, what),
            _ => new CliException(ExitCodes.RemoteFailure, what),
        };
    }

    // Problem details (detail/title) or anax's {"error": "..."}.
    private static string? AgentMessage(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            foreach (var name in new[] { "detail", "error", "title", "msg" })
            {
                if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                {
                    return value.GetString();
                }
            }
            return null;
        }
        catch (JsonException)
        {
            return body.Length > 200 ? body[..200] : body;
        }
    }
}
