using Horizon.Testing.Processes;

namespace Horizon.Testing.EndToEnd;

/// <summary>The real <c>hzn</c> CLI (hzn.dll) run as a child process with a given environment, as a user runs it.</summary>
public sealed class HznCommand(IReadOnlyDictionary<string, string> environment)
{
    private readonly BuiltProgram _program = BuiltProgram.Hzn;

    /// <summary>The HZN_* settings every call gets.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; } = environment;

    /// <summary>Runs <c>hzn args…</c> and returns its exit code and output, whatever the exit code.</summary>
    public Task<CommandResult> RunAsync(IEnumerable<string> arguments, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        RunInAsync(null, arguments, timeout, cancellationToken);

    /// <summary>
    /// Runs <c>hzn args…</c> in <paramref name="workingDirectory"/>, as a user who changed into a project
    /// folder does (hzn then reads its <c>hzn.json</c> or <c>horizon/hzn.json</c>).
    /// </summary>
    /// <remarks>Only <see cref="Environment"/>'s HZN_* settings reach hzn: the test host's own are dropped.</remarks>
    public Task<CommandResult> RunInAsync(string? workingDirectory, IEnumerable<string> arguments, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        CommandLine.RunInAsync(workingDirectory, BuiltProgram.Dotnet, [_program.AssemblyPath, .. arguments], environment: new Dictionary<string, string>(Environment),
            timeout: timeout ?? TimeSpan.FromMinutes(1), cancellationToken: cancellationToken, isolatedPrefix: "HZN_");

    /// <summary>The same CLI without the settings named (so hzn takes them from its configuration files).</summary>
    public HznCommand Without(params string[] names) =>
        new(Environment.Where(e => !names.Contains(e.Key, StringComparer.Ordinal)).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal));

    /// <summary>Runs <c>hzn args…</c> and returns its stdout.</summary>
    /// <exception cref="InvalidOperationException">hzn exited non-zero; the message holds its output.</exception>
    public async Task<string> RunCheckedAsync(IEnumerable<string> arguments, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var args = arguments.ToList();
        var result = await RunAsync(args, timeout, cancellationToken);
        return result.Succeeded
            ? result.StandardOutput
            : throw new InvalidOperationException($"`hzn {string.Join(' ', args)}` exited {result.ExitCode}:\n{result.StandardError.Trim()}\n{result.StandardOutput.Trim()}");
    }

    /// <summary>The same CLI with some settings replaced or added.</summary>
    public HznCommand With(IReadOnlyDictionary<string, string> overrides)
    {
        var merged = new Dictionary<string, string>(Environment);
        foreach (var (key, value) in overrides)
        {
            merged[key] = value;
        }
        return new HznCommand(merged);
    }
}
