using System.Globalization;
using Horizon.NodeAgent.Tests.Support;
using Horizon.Testing;
using Horizon.Testing.Docker;
using Horizon.Testing.EndToEnd;
using Horizon.Testing.Processes;
using Xunit;
using Xunit.Abstractions;

namespace Horizon.NodeAgent.Tests.Systemd;

/// <summary>
/// <c>node-agent/horizon-node-agent.service</c> against what <c>tools/publish-agent.sh --install</c>
/// puts on a node: the unit starts the NativeAOT executable that was installed (not the JIT build
/// through <c>dotnet</c>), as <c>Type=notify</c> with a watchdog the agent keeps, and the installed
/// executable, started with the unit's environment and systemd's notify variables, says READY, pings
/// within <c>WatchdogSec</c> and says STOPPING on SIGTERM within <c>TimeoutStopSec</c>.
/// </summary>
[Collection(EngineTests.Name)]
public sealed class SystemdUnitTests(DockerFixture docker, ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _root = new("hzn-install");

    public void Dispose() => _root.Dispose();

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Unit_StartsTheInstalledNativeExecutable_AsTypeNotifyWithAWatchdog()
    {
        var unit = await InstallAsync();
        var execStart = unit.Single("ExecStart");
        var executable = execStart.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        var installed = _root.Path + executable;

        Assert.Equal("/usr/lib/horizon/node-agent/Horizon.NodeAgent", executable);
        Assert.Equal(execStart, executable);
        Assert.True(File.Exists(installed), $"ExecStart names {executable}, which the install did not put there");
        Assert.True(File.GetUnixFileMode(installed).HasFlag(UnixFileMode.UserExecute), $"{executable} is not executable");
        // A NativeAOT executable: an ELF file, not an assembly for `dotnet`.
        Assert.Equal("\u007fELF"u8.ToArray(), File.ReadAllBytes(installed)[..4]);
        foreach (var library in new[] { "libe_sqlite3.so", "libsodium.so" })
        {
            Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(installed)!, library)), $"{library} is not installed beside the executable");
        }
        Assert.Equal("notify", unit.Single("Type"));
        Assert.Equal("main", unit.Single("NotifyAccess"));
        Assert.InRange(unit.Seconds("WatchdogSec"), 10, 300);
        Assert.Equal("process", unit.Single("KillMode"));
        // Settings only a JIT build reads have no place in the unit of a native executable.
        Assert.DoesNotContain(unit.All("Environment"), e => e.Contains("Tiered", StringComparison.Ordinal) || e.Contains("ReadyToRun", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InstalledExecutable_StartedAsTheUnitSays_IsReady_PingsWithinWatchdogSec_AndStopsWithinTimeoutStopSec()
    {
        var unit = await InstallAsync();
        var watchdog = TimeSpan.FromSeconds(unit.Seconds("WatchdogSec"));
        using var socket = new NotifySocket(_root.Combine("notify.sock"));
        var environment = unit.Environment();
        environment["NOTIFY_SOCKET"] = socket.Path;
        environment["WATCHDOG_USEC"] = ((long)watchdog.TotalMicroseconds).ToString(CultureInfo.InvariantCulture);
        var program = new BuiltProgram("Horizon.NodeAgent", _root.Path + unit.Single("ExecStart"));
        await using var agent = await AgentProcess.StartAsync(_root.Combine("state"), docker, environment: environment, program: program);

        Assert.True(await socket.WaitForAsync("READY=1", TimeSpan.FromSeconds(30)), agent.Process.RecentOutput);
        // systemd restarts a unit whose ping does not come within WatchdogSec of the last.
        Assert.True(await socket.WaitForAsync("WATCHDOG=1", watchdog), agent.Process.RecentOutput);

        agent.Process.Signal(15);
        var stopped = DateTime.UtcNow;
        Assert.True(await socket.WaitForAsync("STOPPING=1", TimeSpan.FromSeconds(10)), agent.Process.RecentOutput);
        await agent.Process.WaitForExitAsync(TimeSpan.FromSeconds(unit.Seconds("TimeoutStopSec")));
        Assert.True(agent.Process.HasExited && DateTime.UtcNow - stopped < TimeSpan.FromSeconds(unit.Seconds("TimeoutStopSec")), agent.Process.RecentOutput);
    }

    /// <summary>Installs the published native agent under the test's root, as on a node.</summary>
    private async Task<UnitFile> InstallAsync()
    {
        var published = await NativeNodeAgent.PublishedAsync(output.WriteLine);
        var result = await CommandLine.RunAsync(Path.Combine(RepositoryRoot.Path, "tools", "publish-agent.sh"),
            ["--install", _root.Path, "--no-publish", Path.GetDirectoryName(published.AssemblyPath)!], timeout: TimeSpan.FromMinutes(1));
        Assert.True(result.Succeeded, $"tools/publish-agent.sh --install exited {result.ExitCode}: {result.StandardOutput}\n{result.StandardError}");
        return UnitFile.Read(_root.Combine("etc/systemd/system/horizon-node-agent.service"));
    }

    /// <summary>The <c>[Service]</c> section of a unit file, as systemd reads the keys used here.</summary>
    private sealed class UnitFile(List<KeyValuePair<string, string>> service)
    {
        public static UnitFile Read(string path)
        {
            List<KeyValuePair<string, string>> entries = [];
            var section = "";
            foreach (var raw in File.ReadAllLines(path))
            {
                var line = raw.Trim();
                if (line.Length == 0 || line[0] is '#' or ';')
                {
                    continue;
                }
                if (line[0] == '[')
                {
                    section = line;
                    continue;
                }
                var eq = line.IndexOf('=', StringComparison.Ordinal);
                if (section == "[Service]" && eq > 0)
                {
                    entries.Add(new(line[..eq].Trim(), line[(eq + 1)..].Trim()));
                }
            }
            return new UnitFile(entries);
        }

        public IEnumerable<string> All(string key) => service.Where(e => e.Key == key).Select(e => e.Value);

        public string Single(string key) => Assert.Single(All(key));

        /// <summary>A time span in seconds, as systemd reads a bare number.</summary>
        public int Seconds(string key) => int.Parse(Single(key), CultureInfo.InvariantCulture);

        /// <summary>Every <c>Environment=</c> assignment (space-separated, no quoting used here).</summary>
        public Dictionary<string, string> Environment() => All("Environment")
            .SelectMany(e => e.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(a => a.Split('=', 2))
            .ToDictionary(a => a[0], a => a[1], StringComparer.Ordinal);
    }
}
