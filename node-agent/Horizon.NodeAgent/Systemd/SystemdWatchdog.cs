using System.Globalization;

namespace Horizon.NodeAgent.Systemd;

/// <summary>How often systemd expects <c>WATCHDOG=1</c> from this process (<c>WatchdogSec=</c> in the unit); null when it does not watch.</summary>
public sealed record SystemdWatchdog(TimeSpan? Interval)
{
    /// <summary>From <c>WATCHDOG_USEC</c> and <c>WATCHDOG_PID</c> as systemd sets them; a watchdog meant for another process is none.</summary>
    public static SystemdWatchdog FromEnvironment()
    {
        var usec = Environment.GetEnvironmentVariable("WATCHDOG_USEC");
        var pid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        var forUs = string.IsNullOrEmpty(pid) || pid == Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        return new SystemdWatchdog(forUs && long.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out var micros) && micros > 0
            ? TimeSpan.FromMicroseconds(micros)
            : null);
    }
}
