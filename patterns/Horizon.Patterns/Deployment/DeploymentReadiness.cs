using System.Text.Json.Serialization;

namespace Horizon.Patterns.Deployment;

/// <summary>
/// When a service container is ready to be used, probed by the node agent from outside the container:
/// a TCP port that accepts a connection, or an HTTP path that answers 2xx or 3xx. Exactly one of
/// <see cref="Tcp"/> and <see cref="Http"/>. The node agent starts the services that require this one
/// only once the probe succeeds (after the container's <see cref="DeploymentService.Healthcheck"/>, when
/// it has both); a Horizon extension, as Open Horizon starts dependents without waiting.
/// </summary>
/// <example><c>"readiness": {"tcp": {"port": 5432}}</c>, <c>"readiness": {"http": {"port": 8080, "path": "/ready"}, "interval": 0.5}</c></example>
public sealed record DeploymentReadiness
{
    /// <summary>Ready once the container accepts a TCP connection on this port.</summary>
    [JsonPropertyName("tcp")]
    public TcpReadiness? Tcp { get; init; }

    /// <summary>Ready once a GET of this port and path answers with a status from 200 to 399.</summary>
    [JsonPropertyName("http")]
    public HttpReadiness? Http { get; init; }

    /// <summary>Seconds between two probes; default 1.</summary>
    [JsonPropertyName("interval")]
    public double Interval { get; init; } = 1;
}

/// <summary>A TCP readiness probe.</summary>
public sealed record TcpReadiness
{
    /// <summary>The port inside the container (not a published host port).</summary>
    [JsonPropertyName("port")]
    public int Port { get; init; }
}

/// <summary>An HTTP readiness probe: <c>GET http://&lt;container&gt;:port/path</c>, redirects not followed.</summary>
public sealed record HttpReadiness
{
    /// <summary>The port inside the container (not a published host port).</summary>
    [JsonPropertyName("port")]
    public int Port { get; init; }

    /// <summary>An absolute path with an optional query; default <c>/</c>.</summary>
    [JsonPropertyName("path")]
    public string Path { get; init => field = value ?? "/"; } = "/";
}
