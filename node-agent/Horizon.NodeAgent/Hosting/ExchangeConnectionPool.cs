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

    /// <summary>A pool of the agent's own; connections are recycled every few minutes so a moved exchange address is picked up.</summary>
    public ExchangeConnectionPool(NodeAgentOptions options)
        : this(new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }), options, ownsHttp: true)
    {
    }

    /// <summary>A pool of the agent's own on <paramref name="handler"/> (an enrolled node's: its device certificate over TLS).</summary>
    public ExchangeConnectionPool(HttpMessageHandler handler, NodeAgentOptions options)
        : this(new HttpClient(handler), options, ownsHttp: true)
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
        ExchangeUrl = new Uri(options.ExchangeUrl);
        _ownsHttp = ownsHttp;
    }

    /// <summary>The pooled client; requests made with it must carry their own credentials and absolute addresses.</summary>
    public HttpClient Http { get; }

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
