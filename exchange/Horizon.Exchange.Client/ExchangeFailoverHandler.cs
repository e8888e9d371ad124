using System.Net;

namespace Horizon.Exchange.Client;

/// <summary>
/// Sends each request to one of several exchanges that serve the same database (stateless exchanges
/// on one PostgreSQL), moving on to the next when the one in use cannot be reached, answers 502, 503
/// or 504, or does not answer within <see cref="AttemptTimeout"/>. The last exchange that answered is
/// used first for the next request, so a healthy set is not split at random.
/// </summary>
/// <remarks>
/// A request that may have reached an exchange is sent again only when it is idempotent (GET, HEAD,
/// PUT, DELETE, OPTIONS); a POST moves on only when its connection was refused, i.e. nothing was
/// sent. Hedging handlers send a second copy while the first is still running, which would
/// duplicate a POST, so this does not use one.
/// </remarks>
public sealed class ExchangeFailoverHandler : DelegatingHandler
{
    private readonly Uri[] _endpoints;
    private int _preferred;

    /// <param name="endpoints">API roots, e.g. <c>http://a:3090/v1</c>, <c>http://b:3090/v1</c>.</param>
    /// <exception cref="ArgumentException">No endpoint, or one that is not an absolute http(s) URL.</exception>
    public ExchangeFailoverHandler(IReadOnlyList<Uri> endpoints, HttpMessageHandler? inner = null)
        : base(inner ?? new SocketsHttpHandler())
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.Count == 0)
        {
            throw new ArgumentException("at least one exchange URL is needed", nameof(endpoints));
        }
        _endpoints = [.. endpoints.Select(ExchangeEndpoints.Normalize)];
    }

    /// <summary>How long one exchange may take to answer before an idempotent request moves on; default 15 s.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The exchanges in the order given, each ending in <c>/</c>.</summary>
    public IReadOnlyList<Uri> Endpoints => _endpoints;

    /// <summary>The exchange the next request goes to first.</summary>
    public Uri Preferred => _endpoints[Volatile.Read(ref _preferred)];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var relative = RelativePath(request.RequestUri);
        if (relative is null || _endpoints.Length == 1)
        {
            return await base.SendAsync(request, cancellationToken);
        }
        if (request.Content is not null)
        {
            // The same content goes out again on the next exchange.
            await request.Content.LoadIntoBufferAsync(cancellationToken);
        }
        var idempotent = request.Method != HttpMethod.Post && request.Method != HttpMethod.Patch;
        var first = Volatile.Read(ref _preferred);
        Exception? lastFailure = null;
        for (var attempt = 0; attempt < _endpoints.Length; attempt++)
        {
            var index = (first + attempt) % _endpoints.Length;
            var last = attempt == _endpoints.Length - 1;
            request.RequestUri = new Uri(_endpoints[index], relative);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(AttemptTimeout);
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, deadline.Token);
            }
            catch (HttpRequestException e) when (!last && (idempotent || NothingWasSent(e)))
            {
                lastFailure = e;
                continue;
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested && idempotent && !last)
            {
                lastFailure = e;
                continue;
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new HttpRequestException($"{request.Method} {request.RequestUri}: no answer within {AttemptTimeout}", e);
            }
            if (!last && idempotent && IsUnavailable(response.StatusCode))
            {
                response.Dispose();
                continue;
            }
            Volatile.Write(ref _preferred, index);
            return response;
        }
        throw new HttpRequestException($"{request.Method} {relative}: no exchange answered", lastFailure);
    }

    private static bool IsUnavailable(HttpStatusCode status) =>
        status is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    private static bool NothingWasSent(HttpRequestException e) =>
        e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError;

    /// <summary>The path and query below whichever endpoint the URI starts with; null for a URI of no endpoint.</summary>
    private string? RelativePath(Uri? uri)
    {
        if (uri is null)
        {
            return null;
        }
        var text = uri.AbsoluteUri;
        foreach (var endpoint in _endpoints)
        {
            var root = endpoint.AbsoluteUri;
            if (text.StartsWith(root, StringComparison.OrdinalIgnoreCase))
            {
                return text[root.Length..];
            }
        }
        return null;
    }
}
