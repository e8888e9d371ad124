using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Horizon.Docker;

/// <summary>
/// HTTP to the engine: versioned paths, per-call timeouts, and engine errors turned into typed
/// exceptions. Every area of the client goes through here.
/// </summary>
internal sealed class DockerTransport : IDisposable
{
    private static readonly MediaTypeHeaderValue s_json = new("application/json");

    private readonly HttpClient _http;
    private readonly SemaphoreSlim _negotiation = new(1, 1);
    private Version? _apiVersion;

    public DockerTransport(DockerClientOptions options)
    {
        Options = options;
        var (handler, baseAddress) = DockerHttpHandler.Create(options.Endpoint);
        // Streams (events, pull) run for as long as the caller wants; single calls get their own
        // deadline from RequestTimeout instead of HttpClient.Timeout.
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        _apiVersion = options.ApiVersion;
    }

    public DockerClientOptions Options { get; }

    /// <summary>The API version in use, negotiating it on first use.</summary>
    public async Task<Version> GetApiVersionAsync(CancellationToken cancellationToken)
    {
        if (_apiVersion is { } known)
        {
            return known;
        }
        await _negotiation.WaitAsync(cancellationToken);
        try
        {
            if (_apiVersion is null)
            {
                var version = await GetJsonAsync("/version", DockerJsonContext.Default.SystemVersion, versioned: false, cancellationToken: cancellationToken);
                _apiVersion = ApiVersionNegotiation.Choose(version);
            }
            return _apiVersion;
        }
        finally
        {
            _negotiation.Release();
        }
    }

    public Task<T> GetJsonAsync<T>(string path, JsonTypeInfo<T> resultType, bool versioned = true, CancellationToken cancellationToken = default) =>
        WithDeadlineAsync(path, TimeSpan.Zero, async ct =>
        {
            using var response = await SendAsync(HttpMethod.Get, path, content: null, headers: null, versioned, streaming: false, ct);
            return await ReadJsonAsync(response, resultType, ct);
        }, cancellationToken);

    public Task<TResult> SendJsonAsync<TBody, TResult>(HttpMethod method, string path, TBody body, JsonTypeInfo<TBody> bodyType,
        JsonTypeInfo<TResult> resultType, CancellationToken cancellationToken) =>
        WithDeadlineAsync(path, TimeSpan.Zero, async ct =>
        {
            using var content = JsonBody(body, bodyType);
            using var response = await SendAsync(method, path, content, headers: null, versioned: true, streaming: false, ct);
            return await ReadJsonAsync(response, resultType, ct);
        }, cancellationToken);

    /// <summary>Sends a call whose answer has no body; returns the status (204, or 304 for "already so").</summary>
    public Task<HttpStatusCode> SendAsync<TBody>(HttpMethod method, string path, TBody body, JsonTypeInfo<TBody> bodyType, CancellationToken cancellationToken) =>
        WithDeadlineAsync(path, TimeSpan.Zero, async ct =>
        {
            using var content = JsonBody(body, bodyType);
            using var response = await SendAsync(method, path, content, headers: null, versioned: true, streaming: false, ct);
            return response.StatusCode;
        }, cancellationToken);

    /// <summary>Sends a call with neither request nor answer body; <paramref name="extraTime"/> adds to the deadline (stop's grace period).</summary>
    public Task<HttpStatusCode> SendAsync(HttpMethod method, string path, CancellationToken cancellationToken, TimeSpan extraTime = default, bool versioned = true) =>
        WithDeadlineAsync(path, extraTime, async ct =>
        {
            using var response = await SendAsync(method, path, content: null, headers: null, versioned, streaming: false, ct);
            return response.StatusCode;
        }, cancellationToken);

    /// <summary>Reads the whole answer as bytes (logs), within the deadline.</summary>
    public Task<(byte[] Body, string? MediaType)> GetBytesAsync(string path, CancellationToken cancellationToken) =>
        WithDeadlineAsync(path, TimeSpan.Zero, async ct =>
        {
            using var response = await SendAsync(HttpMethod.Get, path, content: null, headers: null, versioned: true, streaming: false, ct);
            return (await response.Content.ReadAsByteArrayAsync(ct), response.Content.Headers.ContentType?.MediaType);
        }, cancellationToken);

    /// <summary>Opens a streamed answer (pull progress, events). No deadline: the caller's token ends it.</summary>
    public Task<HttpResponseMessage> OpenStreamAsync(HttpMethod method, string path, IEnumerable<KeyValuePair<string, string>>? headers,
        CancellationToken cancellationToken) =>
        SendAsync(method, path, content: null, headers, versioned: true, streaming: true, cancellationToken);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content,
        IEnumerable<KeyValuePair<string, string>>? headers, bool versioned, bool streaming, CancellationToken cancellationToken)
    {
        var prefix = versioned ? "/v" + (await GetApiVersionAsync(cancellationToken)).ToString(2) : "";
        using var request = new HttpRequestMessage(method, new Uri(prefix + path, UriKind.Relative)) { Content = content };
        foreach (var header in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        var response = await _http.SendAsync(request,
            streaming ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotModified)
        {
            return response;
        }
        using (response)
        {
            throw DockerErrorClassifier.Classify(response.StatusCode, await ReadErrorMessageAsync(response, cancellationToken));
        }
    }

    private static async Task<string> ReadErrorMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
        if (text.StartsWith('{'))
        {
            try
            {
                var error = JsonSerializer.Deserialize(text, DockerJsonContext.Default.ErrorResponse);
                if (!string.IsNullOrEmpty(error?.Message))
                {
                    return error.Message;
                }
            }
            catch (JsonException)
            {
                // Not the engine's error shape; the raw text below says more than nothing.
            }
        }
        return text.Length > 0 ? text : response.ReasonPhrase ?? "no message";
    }

    private static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        try
        {
            return await JsonSerializer.DeserializeAsync(stream, type, cancellationToken)
                ?? throw new DockerApiException(response.StatusCode, "the engine answered with an empty body");
        }
        catch (JsonException exception)
        {
            throw new DockerApiException($"the engine's answer is not a valid {typeof(T).Name}: {exception.Message}", exception);
        }
    }

    private static ByteArrayContent JsonBody<T>(T body, JsonTypeInfo<T> type)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, type));
        content.Headers.ContentType = s_json;
        return content;
    }

    private async Task<T> WithDeadlineAsync<T>(string path, TimeSpan extraTime, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var limit = Options.RequestTimeout + extraTime;
        deadline.CancelAfter(limit);
        try
        {
            return await call(deadline.Token);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                $"the Docker engine at {Options.Endpoint} did not answer {path} within {limit.TotalSeconds:0.#} s"), exception);
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _negotiation.Dispose();
    }
}
