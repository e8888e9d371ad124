using System.Net;
using System.Net.Sockets;

namespace Horizon.Testing.Docker;

/// <summary>
/// A listening socket (unix or loopback TCP) that relays byte for byte to the real engine's unix
/// socket, and can cut every connection and refuse new ones on demand: another address for the
/// real engine, and a dropped connection to it, not a mock.
/// </summary>
public sealed class EngineRelay : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly List<Socket> _open = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly string _upstream;
    private readonly string? _socketPath;
    private readonly Task _acceptLoop;
    private bool _refusing;
    private int _accepted;
    private int _refused;

    private EngineRelay(string upstreamSocketPath, bool tcp)
    {
        _upstream = upstreamSocketPath;
        if (tcp)
        {
            _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            Endpoint = new Uri($"tcp://127.0.0.1:{((IPEndPoint)_listener.LocalEndPoint!).Port}");
        }
        else
        {
            _socketPath = Path.Combine(Path.GetTempPath(), $"hzn-relay-{Guid.NewGuid():N}.sock");
            _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            _listener.Bind(new UnixDomainSocketEndPoint(_socketPath));
            Endpoint = new Uri("unix://" + _socketPath);
        }
        _listener.Listen(16);
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>A relay listening on a fresh unix socket in the temp folder.</summary>
    public static EngineRelay OnUnixSocket(string upstreamSocketPath) => new(upstreamSocketPath, tcp: false);

    /// <summary>A relay listening on a free 127.0.0.1 port: the engine as <c>tcp://</c> without reconfiguring dockerd.</summary>
    public static EngineRelay OnLoopbackTcp(string upstreamSocketPath) => new(upstreamSocketPath, tcp: true);

    /// <summary>Where clients reach the relay: <c>unix:///tmp/…sock</c> or <c>tcp://127.0.0.1:port</c>.</summary>
    public Uri Endpoint { get; }

    public int Accepted => Volatile.Read(ref _accepted);

    public int Refused => Volatile.Read(ref _refused);

    /// <summary>Closes every relayed connection; with <paramref name="refuseNew"/>, closes new ones at once too.</summary>
    public void Drop(bool refuseNew)
    {
        lock (_gate)
        {
            _refusing = refuseNew;
            foreach (var socket in _open)
            {
                socket.Dispose();
            }
            _open.Clear();
        }
    }

    public void AcceptAgain()
    {
        lock (_gate)
        {
            _refusing = false;
        }
    }

    /// <summary>Waits until a client has tried to connect and been turned away.</summary>
    public async Task WaitForRefusalAsync(CancellationToken cancellationToken)
    {
        while (Refused == 0)
        {
            await Task.Delay(50, cancellationToken);
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            bool refuse;
            lock (_gate)
            {
                refuse = _refusing;
            }
            if (refuse)
            {
                Interlocked.Increment(ref _refused);
                client.Dispose();
                continue;
            }
            Interlocked.Increment(ref _accepted);
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        var upstream = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        lock (_gate)
        {
            _open.Add(client);
            _open.Add(upstream);
        }
        try
        {
            await upstream.ConnectAsync(new UnixDomainSocketEndPoint(_upstream), _stopping.Token);
            await using var a = new NetworkStream(client, ownsSocket: true);
            await using var b = new NetworkStream(upstream, ownsSocket: true);
            // When either direction ends, the other must end too, as a real dropped link does.
            await Task.WhenAny(a.CopyToAsync(b, _stopping.Token), b.CopyToAsync(a, _stopping.Token));
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // A cut connection is what this relay is for.
        }
        finally
        {
            client.Dispose();
            upstream.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        Drop(refuseNew: true);
        await _acceptLoop;
        _stopping.Dispose();
        if (_socketPath is not null)
        {
            File.Delete(_socketPath);
        }
    }
}
