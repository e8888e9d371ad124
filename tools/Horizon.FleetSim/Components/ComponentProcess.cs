using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Horizon.FleetSim.Fleet;

namespace Horizon.FleetSim.Components;

/// <summary>
/// The agbot or the switchboard in a child process of the simulator (<see cref="ComponentHost"/>),
/// which a fault may SIGKILL and start again on the same settings and state, or SIGSTOP and SIGCONT.
/// Its settings (secrets among them) reach it through its environment.
/// </summary>
internal sealed partial class ComponentProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(2);
    private readonly string _marker;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly Queue<string> _recent = new();
    private readonly Lock _gate = new();
    private Process? _process;
    private TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<int>? _backlog;

    private ComponentProcess(string name, string marker, IReadOnlyDictionary<string, string> environment)
    {
        Name = name;
        _marker = marker;
        _environment = environment;
    }

    public string Name { get; }

    /// <summary>The running process's id (a new one after each restart).</summary>
    public int Id => _process?.Id ?? 0;

    /// <summary>What the component announced once it served: its addresses.</summary>
    public string Urls { get; private set; } = "";

    /// <summary>The last lines the child wrote that were not its announcements (errors, stack traces).</summary>
    public string RecentOutput
    {
        get
        {
            lock (_gate)
            {
                return string.Join(Environment.NewLine, _recent);
            }
        }
    }

    /// <exception cref="InvalidOperationException">The component did not come up within two minutes.</exception>
    public static async Task<ComponentProcess> StartAsync(string name, string marker, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var component = new ComponentProcess(name, marker, environment);
        await component.StartAgainAsync(cancellationToken);
        return component;
    }

    /// <summary>
    /// Starts the component (again, after a kill, on the same settings and state) and waits until it
    /// serves. A start that fails (the agbot cannot reach the switchboard yet) is tried again until two minutes passed.
    /// </summary>
    /// <exception cref="InvalidOperationException">The component did not come up within two minutes.</exception>
    public async Task StartAgainAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var process = Launch();
            var exited = process.WaitForExitAsync(cancellationToken);
            var first = await Task.WhenAny(_ready.Task, exited, Task.Delay(StartLimit - clock.Elapsed, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
            if (first == _ready.Task)
            {
                Urls = await _ready.Task;
                return;
            }
            if (first != exited || clock.Elapsed >= StartLimit)
            {
                Kill();
                throw new InvalidOperationException($"the {Name} did not start within {StartLimit.TotalSeconds:0} s: {RecentOutput}");
            }
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    private Process Launch()
    {
        var start = SelfProcess.StartInfo(_marker);
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }
        var process = new Process { StartInfo = start };
        var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line)
            {
                return;
            }
            if (line.StartsWith(ComponentHost.ReadyPrefix, StringComparison.Ordinal))
            {
                ready.TrySetResult(line[ComponentHost.ReadyPrefix.Length..]);
            }
            else if (line.StartsWith(ComponentHost.BacklogPrefix, StringComparison.Ordinal))
            {
                _backlog?.TrySetResult(int.Parse(line[ComponentHost.BacklogPrefix.Length..], CultureInfo.InvariantCulture));
            }
            else
            {
                Remember(line);
            }
        };
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var previous = _process;
        _process = process;
        _ready = ready;
        previous?.Dispose();
        return process;
    }

    private void Remember(string? line)
    {
        if (string.IsNullOrEmpty(line))
        {
            return;
        }
        if (_environment.ContainsKey(ComponentHost.VerboseVariable))
        {
            Console.Error.WriteLine($"[{Name}] {line}");
        }
        lock (_gate)
        {
            _recent.Enqueue(line);
            while (_recent.Count > 20)
            {
                _recent.Dequeue();
            }
        }
    }

    /// <summary>Resident memory of the process, in bytes (0 while it is down).</summary>
    public long ResidentBytes() => _process is { } process ? SelfProcess.ResidentBytes(process) : 0;

    /// <summary>SIGKILL: no shutdown, no flush; waits until the process is gone.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            Signal(process.Id, Signals.Kill);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>SIGSTOP: the process stays, frozen, with its connections open.</summary>
    public void Pause() => Signal(Id, Signals.Stop);

    /// <summary>SIGCONT.</summary>
    public void Resume() => Signal(Id, Signals.Continue);

    /// <summary>The agbot's queue of nodes to evaluate, as it answers on its stdin/stdout.</summary>
    public async Task<int> BacklogAsync(CancellationToken cancellationToken)
    {
        var reply = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _backlog = reply;
        await SendAsync("backlog");
        return await reply.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
    }

    private async Task SendAsync(string line)
    {
        if (_process is { HasExited: false } process)
        {
            await process.StandardInput.WriteLineAsync(line);
            await process.StandardInput.FlushAsync();
        }
    }

    private void Kill()
    {
        try
        {
            if (_process is { HasExited: false } process)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
    }

    private static void Signal(int pid, int signal)
    {
        if (pid > 0 && NativeMethods.Kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is null)
        {
            return;
        }
        try
        {
            // A paused component would never read "stop".
            if (!_process.HasExited)
            {
                Signal(_process.Id, Signals.Continue);
            }
            await SendAsync("stop");
            _process.StandardInput.Close();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
        {
            Kill();
        }
        _process.Dispose();
    }

    /// <summary>POSIX signal numbers on Linux.</summary>
    internal static class Signals
    {
        public const int Kill = 9;
        public const int Continue = 18;
        public const int Stop = 19;
    }

    private static partial class NativeMethods
    {
        [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
        internal static partial int Kill(int pid, int signal);
    }
}
