using System.Globalization;
using Horizon.Testing.Processes;

namespace Horizon.Testing.Nats;

/// <summary>
/// A small shell in a session of its own beside each nats-server a fixture starts: when the
/// process that owns the server (the test host) dies before disposing it — an aborted
/// <c>dotnet test</c>, a hang timeout, a SIGKILL — it kills the server within a second, so no
/// orphaned nats-server keeps its port, its store and the build lock's inherited descriptor. It
/// ends by itself once the server is gone. The server is only killed while its command line still
/// names its own configuration file: a pid the kernel handed to another process is left alone.
/// </summary>
/// <remarks>
/// Not <c>prctl(PR_SET_PDEATHSIG)</c> (e.g. <c>setpriv --pdeathsig</c>): that signal follows the
/// death of the <em>thread</em> that forked the child, and .NET starts processes from whatever
/// thread-pool thread runs the call, which the pool retires after a while of idleness — the
/// server would be killed under a live test.
/// </remarks>
internal static class NatsServerWatchdog
{
    private const string Script = """
        owner=$1; server=$2; config=$3
        while kill -0 "$owner" 2>/dev/null && kill -0 "$server" 2>/dev/null; do sleep 1; done
        if kill -0 "$server" 2>/dev/null && tr '\0' ' ' <"/proc/$server/cmdline" 2>/dev/null | grep -qF -- "$config"; then
          kill -9 "$server"
        fi
        """;

    /// <summary>Starts the watchdog of <paramref name="serverPid"/> (started with <paramref name="configPath"/>) for <paramref name="ownerPid"/>.</summary>
    public static OwnedProcess Start(int ownerPid, int serverPid, string configPath)
    {
        // Its own session: the signal or the process-group kill that takes the owner must not take the watchdog too.
        var setsid = Prerequisites.RequireExecutable("setsid (util-linux)", "/usr/bin/setsid", "setsid");
        return OwnedProcess.Start(setsid, ["sh", "-c", Script, "nats-watchdog",
            ownerPid.ToString(CultureInfo.InvariantCulture), serverPid.ToString(CultureInfo.InvariantCulture), configPath], "nats-server watchdog");
    }
}
