using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Horizon.Testing.Processes;

/// <summary>
/// A long-running child process that a fixture owns: its output is kept for diagnostics and
/// disposing it kills exactly this process and its descendants, nothing else.
/// </summary>
public sealed partial class OwnedProcess : IAsyncDisposable
{
    private const int MaxKeptLines = 400;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private bool _disposed;

    private OwnedProcess(Process process, string description)
    {
        _process = process;
        Description = description;
    }

    public string Description { get; }

    public int Id => _process.Id;

    /// <summary>Whether the process has ended; true once this object is disposed (dispose ends it).</summary>
    public bool HasExited => _disposed || _process.HasExited;

    /// <summary>The exit code once the process has ended.</summary>
    /// <exception cref="InvalidOperationException">The process is still running.</exception>
    public int ExitCode => _process.ExitCode;

    /// <summary>The last lines the process wrote to stdout and stderr, for failure messages.</summary>
    public string RecentOutput => string.Join('\n', _output);

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/>.</summary>
    public static OwnedProcess Start(string fileName, IEnumerable<string> arguments, string description,
        IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var owned = new OwnedProcess(process, description);
        process.OutputDataReceived += (_, e) => owned.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => owned.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return owned;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        _output.Enqueue(line);
        while (_output.Count > MaxKeptLines && _output.TryDequeue(out _))
        {
        }
    }

    /// <summary>Sends a POSIX signal (e.g. 15 for SIGTERM) to the process.</summary>
    public void Signal(int signal)
    {
        if (!HasExited && NativeMethods.Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Waits for the process to exit; kills it when it has not after <paramref name="grace"/>.</summary>
    public async Task WaitForExitAsync(TimeSpan grace)
    {
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            await _process.WaitForExitAsync(CancellationToken.None);
        }
    }

    /// <summary>Kills the process and its descendants at once (SIGKILL).</summary>
    public void Kill()
    {
        try
        {
            if (!HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        Kill();
        await _process.WaitForExitAsync(CancellationToken.None);
        _disposed = true;
        _process.Dispose();
    }

    private static partial class NativeMethods
    {
        [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
        internal static partial int Kill(int pid, int signal);
    }
}
