using System.Diagnostics;

namespace Horizon.FleetSim.Fleet;

/// <summary>
/// A child process of this program simulating one shard: it gets its plan on the command line,
/// reports events as lines on stdout, starts registering on <c>go</c> and stops on <c>stop</c>
/// (or when its stdin closes, so it never outlives the simulator).
/// </summary>
internal sealed class ShardProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _recent = new();

    private ShardProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the child wrote that were not events (errors, stack traces).</summary>
    public string RecentOutput
    {
        get
        {
            lock (_recent)
            {
                return string.Join(Environment.NewLine, _recent);
            }
        }
    }

    public static ShardProcess Start(ShardPlan plan, Action<FleetEvent> sink)
    {
        var start = SelfProcess.StartInfo(ShardArguments.Marker, plan.Encode());
        var process = new Process { StartInfo = start };
        var shard = new ShardProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (FleetEvent.TryParse(e.Data) is { } fleetEvent)
            {
                sink(fleetEvent);
            }
            else
            {
                shard.Remember(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) => shard.Remember(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return shard;
    }

    private void Remember(string? line)
    {
        if (string.IsNullOrEmpty(line))
        {
            return;
        }
        lock (_recent)
        {
            _recent.Enqueue(line);
            while (_recent.Count > 20)
            {
                _recent.Dequeue();
            }
        }
    }

    public Task GoAsync() => SendAsync("go");

    private async Task SendAsync(string line)
    {
        if (!_process.HasExited)
        {
            await _process.StandardInput.WriteLineAsync(line);
            await _process.StandardInput.FlushAsync();
        }
    }

    /// <summary>Resident memory of the child, in bytes (0 once it exited).</summary>
    public long ResidentBytes() => SelfProcess.ResidentBytes(_process);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await SendAsync("stop");
            _process.StandardInput.Close();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
    }
}
