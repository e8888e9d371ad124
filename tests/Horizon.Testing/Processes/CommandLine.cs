using System.Diagnostics;
using System.Text;

namespace Horizon.Testing.Processes;

/// <summary>The outcome of a command run to completion.</summary>
public sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>Runs short commands (docker, htpasswd, initdb) to completion.</summary>
public static class CommandLine
{
    /// <summary>Runs the command and returns its exit code and output, whatever the exit code.</summary>
    /// <exception cref="TimeoutException">The command did not finish within <paramref name="timeout"/>; it was killed.</exception>
    public static Task<CommandResult> RunAsync(string fileName, IEnumerable<string> arguments,
        string? standardInput = null, IDictionary<string, string>? environment = null,
        TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        RunInAsync(null, fileName, arguments, standardInput, environment, timeout, cancellationToken: cancellationToken);

    /// <summary>
    /// As <see cref="RunAsync"/>, in <paramref name="workingDirectory"/> (null: this process's). Inherited
    /// variables whose names start with <paramref name="isolatedPrefix"/> are dropped first, so a
    /// developer's shell (a sourced <c>hzn.env</c>, say) cannot change what a test runs.
    /// </summary>
    /// <exception cref="TimeoutException">The command did not finish within <paramref name="timeout"/>; it was killed.</exception>
    public static async Task<CommandResult> RunInAsync(string? workingDirectory, string fileName, IEnumerable<string> arguments,
        string? standardInput = null, IDictionary<string, string>? environment = null,
        TimeSpan? timeout = null, string? isolatedPrefix = null, CancellationToken cancellationToken = default)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        if (isolatedPrefix is not null)
        {
            foreach (var inherited in info.Environment.Keys.Where(k => k.StartsWith(isolatedPrefix, StringComparison.Ordinal)).ToList())
            {
                info.Environment.Remove(inherited);
            }
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(new StringBuilder(standardInput), cancellationToken);
        }
        process.StandardInput.Close();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', info.ArgumentList)} did not finish in time");
        }
        return new CommandResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs the command and throws with its stderr when it fails.</summary>
    /// <exception cref="InvalidOperationException">The command exited non-zero.</exception>
    public static async Task<string> RunCheckedAsync(string fileName, IEnumerable<string> arguments,
        string? standardInput = null, IDictionary<string, string>? environment = null,
        TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var args = arguments.ToList();
        var result = await RunAsync(fileName, args, standardInput, environment, timeout, cancellationToken);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"`{Path.GetFileName(fileName)} {string.Join(' ', args)}` exited {result.ExitCode}: {result.StandardError.Trim()} {result.StandardOutput.Trim()}");
        }
        return result.StandardOutput;
    }
}
