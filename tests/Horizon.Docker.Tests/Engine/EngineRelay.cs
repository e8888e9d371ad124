using System.Net.Sockets;

namespace Horizon.Docker.Tests.Engine;

/// <summary>
/// A unix socket that relays byte for byte to the real engine's socket, and can cut every
/// connection and refuse new ones on demand: a dropped connection to a real engine, not a mock.
/// </summary>
internal sealed class UnixSocketRelay : IAsyncDisposable
{
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly List<Socket> _open = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly string _upstream;
    private readonly Task _acceptLoop;
    private bool _refusing;
    private int _accepted;
    private int _refused;

    public UnixSocketRelay(string upstreamSocketPath)
    {
        _upstream = upstreamSocketPath;
        SocketPath = Path.Combine(Path.GetTempPath(), $"hzn-relay-{Guid.NewGuid():N}.sock");
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(16);
        _acceptLoop = AcceptLoopAsync();
    }

    public string SocketPath { get; }

    public Uri Endpoint => new("unix://" + SocketPath);

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
        File.Delete(SocketPath);
    }
}
