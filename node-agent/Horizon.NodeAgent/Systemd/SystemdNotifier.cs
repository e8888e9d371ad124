using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Horizon.NodeAgent.Systemd;

/// <summary>
/// The sd_notify protocol: datagrams such as <c>READY=1</c> sent to the unix socket named by
/// <c>NOTIFY_SOCKET</c>. Written here because Microsoft.Extensions.Hosting.Systemd is not
/// available; the protocol is one datagram per state change.
/// </summary>
public sealed class SystemdNotifier : IDisposable
{
    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _endpoint;
    private readonly Lock _gate = new();

    /// <param name="socketPath">A filesystem path, or <c>@name</c> for the abstract namespace; null or empty disables notifications.</param>
    /// <param name="watchdogInterval">The service manager's watchdog interval; null when it does not watch.</param>
    public SystemdNotifier(string? socketPath, TimeSpan? watchdogInterval = null)
    {
        WatchdogInterval = watchdogInterval;
        if (string.IsNullOrEmpty(socketPath))
        {
            return;
        }
        // An abstract socket address starts with a NUL byte; systemd writes it as '@'.
        _endpoint = new UnixDomainSocketEndPoint(socketPath[0] == '@' ? "\0" + socketPath[1..] : socketPath);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    /// <summary>From <c>NOTIFY_SOCKET</c>, <c>WATCHDOG_USEC</c> and <c>WATCHDOG_PID</c> as systemd sets them.</summary>
    public static SystemdNotifier FromEnvironment()
    {
        TimeSpan? watchdog = null;
        var usec = Environment.GetEnvironmentVariable("WATCHDOG_USEC");
        var pid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        var forUs = string.IsNullOrEmpty(pid) || pid == Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        if (forUs && long.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out var micros) && micros > 0)
        {
            watchdog = TimeSpan.FromMicroseconds(micros);
        }
        return new SystemdNotifier(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"), watchdog);
    }

    /// <summary>Whether a service manager listens.</summary>
    public bool IsEnabled => _socket is not null;

    /// <summary>How often the manager expects <c>WATCHDOG=1</c>; null when it does not watch.</summary>
    public TimeSpan? WatchdogInterval { get; }

    /// <summary>Sends one state, e.g. <c>READY=1</c> or <c>STATUS=running 3 agreements</c>.</summary>
    /// <returns>False when notifications are disabled or the manager's socket is gone.</returns>
    public bool Notify(string state)
    {
        ArgumentException.ThrowIfNullOrEmpty(state);
        if (_socket is null)
        {
            return false;
        }
        lock (_gate)
        {
            try
            {
                _socket.SendTo(Encoding.UTF8.GetBytes(state), SocketFlags.None, _endpoint!);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }
    }

    public void Dispose() => _socket?.Dispose();
}
