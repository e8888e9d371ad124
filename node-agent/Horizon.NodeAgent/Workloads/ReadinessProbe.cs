using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Horizon.Patterns.Deployment;

namespace Horizon.NodeAgent.Workloads;

/// <summary>
/// Runs a deployment's TCP or HTTP readiness probe from the node against a container's address on its
/// service network (the host reaches its bridge networks, <c>--internal</c> ones included), or against
/// 127.0.0.1 for a container on the host network. Never through a proxy, never following a redirect.
/// </summary>
public sealed class ReadinessProbe : IDisposable
{
    /// <summary>How long one attempt may take before it counts as failed.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(2);

    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        // An HTTP_PROXY in the agent's environment must not carry a probe of a container elsewhere.
        UseProxy = false,
        AllowAutoRedirect = false,
        ConnectTimeout = AttemptTimeout,
        PooledConnectionLifetime = TimeSpan.FromSeconds(30),
    })
    { Timeout = AttemptTimeout };

    /// <summary>Probes once.</summary>
    /// <param name="address">The container's IP address as the node reaches it.</param>
    /// <returns>Null when ready; otherwise what was seen, for the eventlog (<c>tcp 172.18.0.2:8080: connection refused</c>).</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<string?> ProbeAsync(DeploymentReadiness readiness, IPAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readiness);
        ArgumentNullException.ThrowIfNull(address);
        if (readiness.Tcp is { } tcp)
        {
            var target = new IPEndPoint(address, tcp.Port);
            var failure = await ConnectAsync(target, cancellationToken);
            return failure is null ? null : $"tcp {target}: {failure}";
        }
        var http = readiness.Http ?? throw new ArgumentException("the readiness declares neither tcp nor http", nameof(readiness));
        var uri = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{new IPEndPoint(address, http.Port)}{http.Path}"));
        try
        {
            using var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            return status is >= 200 and < 400 ? null : string.Create(CultureInfo.InvariantCulture, $"http {uri}: answered {status}");
        }
        catch (HttpRequestException e)
        {
            return $"http {uri}: {Describe(e.InnerException as SocketException) ?? e.Message}";
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"http {uri}: no answer within {AttemptTimeout.TotalSeconds:0} s";
        }
    }

    private static async Task<string?> ConnectAsync(IPEndPoint target, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(AttemptTimeout);
        using var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(target, timeout.Token);
            return null;
        }
        catch (SocketException e)
        {
            return Describe(e);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {AttemptTimeout.TotalSeconds:0} s";
        }
    }

    private static string? Describe(SocketException? e) => e?.SocketErrorCode switch
    {
        null => null,
        SocketError.ConnectionRefused => "connection refused",
        SocketError.HostUnreachable or SocketError.NetworkUnreachable => "unreachable",
        SocketError.TimedOut => $"no answer within {AttemptTimeout.TotalSeconds:0} s",
        var code => code.ToString(),
    };

    public void Dispose() => _http.Dispose();
}
