using Horizon.Exchange.Client;

namespace Horizon.NodeAgent.Hosting;

/// <summary>
/// The agent's one HTTP connection pool to the exchange. Registration, heartbeats, status reports
/// and publisher key reads share its connections instead of opening a client (and a TCP
/// connection) per call: across a fleet that would cost the exchange a connect per node per
/// heartbeat. Credentials travel with each request, so a new registration needs no new pool.
/// </summary>
public sealed class ExchangeConnectionPool : IDisposable
{
    private readonly bool _ownsHttp;

    /// <summary>
    /// A pool of the agent's own; connections are recycled every few minutes so a moved exchange
    /// address is picked up. With several exchanges in <see cref="NodeAgentOptions.ExchangeUrl"/>
    /// each request goes to the one that last answered and moves on when it cannot be reached.
    /// </summary>
    public ExchangeConnectionPool(NodeAgentOptions options)
        : this(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }, options)
    {
    }

    /// <summary>A pool of the agent's own on <paramref name="handler"/> (an enrolled node's: its device certificate over TLS), rotating as above.</summary>
    public ExchangeConnectionPool(HttpMessageHandler handler, NodeAgentOptions options)
        : this(new HttpClient(new ExchangeFailoverHandler(EndpointsOf(options), handler)), options, ownsHttp: true)
    {
    }

    /// <summary>A pool on a client the caller owns and shares (the fleet simulator runs thousands of agents in one process).</summary>
    public ExchangeConnectionPool(HttpClient sharedHttp, NodeAgentOptions options)
        : this(sharedHttp, options, ownsHttp: false)
    {
    }

    private ExchangeConnectionPool(HttpClient http, NodeAgentOptions options, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        Http = http;
        ExchangeUrl = EndpointsOf(options)[0];
        _ownsHttp = ownsHttp;
    }

    private static IReadOnlyList<Uri> EndpointsOf(NodeAgentOptions options) =>
        (options ?? throw new ArgumentNullException(nameof(options))).ExchangeEndpointList();

    /// <summary>The pooled client; requests made with it must carry their own credentials and absolute addresses.</summary>
    public HttpClient Http { get; }

    /// <summary>The first exchange; requests addressed below it go to whichever exchange answers (see the constructors).</summary>
    public Uri ExchangeUrl { get; }

    /// <summary>A typed client acting as <paramref name="credentials"/> on the pool's connections; disposing it leaves the pool open.</summary>
    public ExchangeClient ClientFor(ExchangeCredentials credentials) => new(Http, ExchangeUrl, credentials);

    public void Dispose()
    {
        if (_ownsHttp)
        {
            Http.Dispose();
        }
    }
}
