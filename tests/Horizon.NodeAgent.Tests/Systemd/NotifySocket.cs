using System.Net.Sockets;
using System.Text;

namespace Horizon.NodeAgent.Tests.Systemd;

/// <summary>A unix datagram socket of the test's own, standing in for systemd's notify socket.</summary>
internal sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);

    public NotifySocket(string path)
    {
        Path = path;
        _socket.Bind(new UnixDomainSocketEndPoint(path));
    }

    public string Path { get; }

    /// <summary>The next datagram's text, or null when none arrives in time.</summary>
    public async Task<string?> ReceiveAsync(TimeSpan within)
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(within);
        try
        {
            var count = await _socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            return Encoding.UTF8.GetString(buffer, 0, count);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Reads datagrams until one equals <paramref name="state"/>.</summary>
    public async Task<bool> WaitForAsync(string state, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (await ReceiveAsync(deadline - DateTime.UtcNow) == state)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Reads and drops whatever arrives for <paramref name="period"/>.</summary>
    public async Task DrainAsync(TimeSpan period)
    {
        var deadline = DateTime.UtcNow + period;
        while (DateTime.UtcNow < deadline && await ReceiveAsync(deadline - DateTime.UtcNow) is not null)
        {
        }
    }

    public void Dispose() => _socket.Dispose();
}
