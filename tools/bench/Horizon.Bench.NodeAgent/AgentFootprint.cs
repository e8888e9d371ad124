using System.Diagnostics;
using Horizon.Bench.HelloEdge;
using Horizon.Testing;

namespace Horizon.Bench.NodeAgent;

/// <summary>How long one start of the agent took to answer /readyz 200, and what it then held and used over a window.</summary>
internal sealed record AgentFootprint(TimeSpan StartToReady, ProcessFootprint Footprint);

/// <summary>
/// Runs one build of the node agent as its own process, on a state folder the caller prepared (empty, or
/// with an agreement seeded into its store for the agent to restore at start-up), and measures it.
/// </summary>
internal static class AgentFootprintProbe
{
    /// <param name="runningAgreement">An agreement seeded into the state folder; measured once the agent reports it running.</param>
    /// <param name="settle">How long after start-up (and the agreement running) the window starts.</param>
    /// <exception cref="InvalidOperationException">The agent exited, never became ready, or the agreement does not run.</exception>
    public static async Task<AgentFootprint> MeasureAsync(AgentBuild build, string stateDirectory, string? runningAgreement,
        IReadOnlyDictionary<string, string> settings, TimeSpan settle, TimeSpan window, CancellationToken cancellationToken = default)
    {
        var port = FreePort.Next();
        var start = build.IsNative ? new ProcessStartInfo(build.Path) : new ProcessStartInfo("dotnet", [build.Path]);
        // Settings (the registry password among them) go through the environment, never the command line.
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }
        start.Environment["NodeAgent__StateDirectory"] = stateDirectory;
        start.Environment["NodeAgent__ApiUrl"] = $"http://127.0.0.1:{port}";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var clock = Stopwatch.StartNew();
        using var agent = Process.Start(start) ?? throw new InvalidOperationException($"{build.Path} did not start");
        // Drained so a chatty agent never blocks on a full pipe.
        agent.OutputDataReceived += (_, _) => { };
        agent.ErrorDataReceived += (_, _) => { };
        agent.BeginOutputReadLine();
        agent.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var ready = await ReadyAsync(http, agent, port, clock, cancellationToken);
            if (runningAgreement is not null)
            {
                // The restore runs before the API answers; the agreement is running or has failed by now.
                var body = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/agreements/{runningAgreement}"), cancellationToken);
                if (!body.Contains("\"running\"", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"the seeded agreement is not running: {body}");
                }
            }
            await Task.Delay(settle, cancellationToken);
            var footprint = await ProcessFootprint.MeasureAsync(agent.Id, window, cancellationToken);
            return new AgentFootprint(ready, footprint);
        }
        finally
        {
            agent.Kill();
            await agent.WaitForExitAsync(CancellationToken.None);
        }
    }

    /// <summary>Time from the process start to the first 200 from /readyz (state database and engine answer).</summary>
    private static async Task<TimeSpan> ReadyAsync(HttpClient http, Process agent, int port, Stopwatch clock, CancellationToken cancellationToken)
    {
        var deadline = TimeSpan.FromSeconds(120);
        while (clock.Elapsed < deadline)
        {
            if (agent.HasExited)
            {
                throw new InvalidOperationException($"the agent exited with {agent.ExitCode} before it was ready");
            }
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/readyz"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return clock.Elapsed;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(20, cancellationToken);
        }
        throw new InvalidOperationException($"the agent did not answer /readyz 200 within {deadline.TotalSeconds:0} s");
    }
}
