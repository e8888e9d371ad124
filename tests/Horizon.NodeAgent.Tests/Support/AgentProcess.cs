using Horizon.Testing;
using Horizon.Testing.Docker;
using Horizon.Testing.EndToEnd;
using Horizon.Testing.Processes;

namespace Horizon.NodeAgent.Tests.Support;

/// <summary>
/// The node agent as a process of its own (the NativeAOT executable under tools/test.sh, else the
/// JIT build), on a state folder that outlives it: what a test SIGKILLs, restarts, or points
/// systemd's notify socket at.
/// </summary>
internal sealed class AgentProcess : IAsyncDisposable
{
    private AgentProcess(OwnedProcess process, int port)
    {
        Process = process;
        Port = port;
        Api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    public OwnedProcess Process { get; }

    /// <summary>The loopback port of the agent's local API.</summary>
    public int Port { get; }

    /// <summary>The local API's read side.</summary>
    public HttpClient Api { get; }

    /// <summary>
    /// Starts the agent as node <c>node1</c> of <see cref="Services.Org"/> and waits until its local
    /// API listens. <paramref name="settings"/> are <c>NodeAgent:*</c> keys added or overriding.
    /// </summary>
    /// <param name="program">The executable to run; the one the test run names (<see cref="BuiltProgram.NodeAgent"/>) when null.</param>
    public static async Task<AgentProcess> StartAsync(string stateDirectory, DockerFixture docker,
        IReadOnlyDictionary<string, string>? settings = null, IReadOnlyDictionary<string, string>? environment = null, bool waitForApi = true,
        BuiltProgram? program = null)
    {
        var port = FreePort.Next();
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["NodeAgent__NodeId"] = "node1",
            ["NodeAgent__Organization"] = Services.Org,
            ["NodeAgent__StateDirectory"] = stateDirectory,
            ["NodeAgent__ApiUrl"] = $"http://127.0.0.1:{port}",
            ["NodeAgent__InternalNetworks"] = "true",
            ["NodeAgent__StopTimeout"] = "00:00:01",
            // Everything the agent creates is swept by the fixture even when a test fails.
            [$"NodeAgent__ExtraLabels__{DockerFixture.RunLabelKey}"] = docker.RunId,
            ["Logging__LogLevel__Default"] = "Information",
            ["Logging__Console__FormatterName"] = "simple",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            variables["NodeAgent__" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            variables[key] = value;
        }
        Directory.CreateDirectory(stateDirectory);
        var process = (program ?? BuiltProgram.NodeAgent).Start([], variables, stateDirectory);
        var agent = new AgentProcess(process, port);
        if (waitForApi)
        {
            try
            {
                await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(60), () => !process.HasExited);
            }
            catch
            {
                var output = process.RecentOutput;
                await agent.DisposeAsync();
                throw new InvalidOperationException($"the node agent did not listen on {port}:\n{output}");
            }
        }
        return agent;
    }

    /// <summary>SIGTERM, as <c>systemctl stop</c> sends it, then waits for the exit.</summary>
    public async Task StopAsync()
    {
        Process.Signal(15);
        await Process.WaitForExitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>SIGKILL: the agent gets no chance to finish anything.</summary>
    public async Task KillAsync()
    {
        Process.Signal(9);
        await Process.WaitForExitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await Process.DisposeAsync();
    }
}
