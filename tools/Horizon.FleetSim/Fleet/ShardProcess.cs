using System.Diagnostics;

namespace Horizon.FleetSim.Fleet;

/// <summary>
/// A child process of this program simulating one shard: it gets its plan on the command line,
/// reports events as lines on stdout, starts registering on <c>go</c> and stops on <c>stop</c>
/// (or when its stdin closes, so it never outlives the simulator). A fault may SIGKILL it and start
/// it again, its nodes then resuming from their state as a restarted agent does.
/// </summary>
internal sealed class ShardProcess : IAsyncDisposable
{
    private readonly ShardPlan _plan;
    private readonly Action<FleetEvent> _sink;
    private readonly Queue<string> _recent = new();
    private Process _process = null!;
    private volatile bool _killed;

    private ShardProcess(ShardPlan plan, Action<FleetEvent> sink)
    {
        _plan = plan;
        _sink = sink;
    }

    public int Id => _process.Id;

    /// <summary>Whether the process ended by itself (a kill by a fault, until its restart, does not count).</summary>
    public bool HasExited => !_killed && _process.HasExited;

    /// <summary>The first node this process simulates.</summary>
    public int FirstIndex => _plan.FirstIndex;

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
        var shard = new ShardProcess(plan, sink);
        shard.Launch(plan);
        return shard;
    }

    private void Launch(ShardPlan plan)
    {
        var start = SelfProcess.StartInfo(ShardArguments.Marker, plan.Encode());
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (FleetEvent.TryParse(e.Data) is { } fleetEvent)
            {
                _sink(fleetEvent);
            }
            else
            {
                Remember(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    /// <summary>SIGKILL: the nodes' agents die mid-step, with whatever they had not yet written.</summary>
    public async Task KillAsync()
    {
        _killed = true;
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>Starts the process again after <see cref="KillAsync"/>: registered nodes resume, the others register.</summary>
    public async Task StartAgainAsync()
    {
        var dead = _process;
        Launch(_plan with { Resume = true });
        dead.Dispose();
        _killed = false;
        // Read by the new process once it prepared its nodes; the ready event it sends is not waited for.
        await GoAsync();
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

    /// <summary>Whether node <paramref name="index"/> is one of this process's.</summary>
    public bool Holds(int index) => index >= _plan.FirstIndex && index < _plan.FirstIndex + _plan.Count;

    /// <summary>Tells the process to have one of its nodes leave, or join again (<see cref="ShardCommand"/>).</summary>
    public Task SendAsync(ShardCommand command) => SendAsync(command.ToLine());

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
