using Horizon.Testing.Processes;

namespace Horizon.Testing.EndToEnd;

/// <summary>
/// The node agent as it ships: the NativeAOT executable <c>tools/publish-agent.sh</c> makes. The
/// executable <see cref="BuiltProgram.NodeAgentBinaryVariable"/> names is taken as it is (tools/test.sh
/// publishes it before the tests); otherwise the one under <c>artifacts/node-agent</c> is reused while
/// no source it is built from is newer, and published again when it is (about 3 minutes here).
/// </summary>
public static class NativeNodeAgent
{
    /// <summary>The folders and files the agent's executable is compiled from, relative to the repository.</summary>
    private static readonly string[] Sources =
    [
        "node-agent", "hosting", "patterns/Horizon.Patterns", "exchange/Horizon.Exchange.Client",
        "switchboard/Horizon.Switchboard", "switchboard/Horizon.Agreements",
        "Directory.Build.props", "Directory.Packages.props",
    ];

    private static readonly SemaphoreSlim Publishing = new(1, 1);

    /// <summary>Where tools/publish-agent.sh puts the executable by default.</summary>
    public static string DefaultPath => Path.Combine(RepositoryRoot.Path, "artifacts", "node-agent", "Horizon.NodeAgent");

    /// <summary>The native agent, published first when it is missing or older than its sources.</summary>
    /// <param name="log">Told when a publish is needed and how it went.</param>
    /// <exception cref="InvalidOperationException">The publish failed (its output is in the message).</exception>
    public static async Task<BuiltProgram> PublishedAsync(Action<string> log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(log);
        var named = BuiltProgram.NodeAgent;
        if (Environment.GetEnvironmentVariable(BuiltProgram.NodeAgentBinaryVariable) is { Length: > 0 } && named.IsNative)
        {
            return named;
        }
        await Publishing.WaitAsync(cancellationToken);
        try
        {
            var path = DefaultPath;
            var reason = !File.Exists(path) ? "not published yet"
                : NewestSource() is { } newer && File.GetLastWriteTimeUtc(newer) > File.GetLastWriteTimeUtc(path) ? $"{newer} is newer"
                : null;
            if (reason is not null)
            {
                log($"publishing the native node agent ({reason}): tools/publish-agent.sh");
                var started = DateTime.UtcNow;
                var result = await CommandLine.RunAsync(Path.Combine(RepositoryRoot.Path, "tools", "publish-agent.sh"), [],
                    timeout: TimeSpan.FromMinutes(20), cancellationToken: cancellationToken);
                if (!result.Succeeded || !File.Exists(path))
                {
                    throw new InvalidOperationException(
                        $"tools/publish-agent.sh exited {result.ExitCode}:\n{result.StandardOutput}\n{result.StandardError}");
                }
                log($"{result.StandardOutput.Trim()} (waited {(DateTime.UtcNow - started).TotalSeconds:0} s)");
            }
            return new BuiltProgram("Horizon.NodeAgent", path);
        }
        finally
        {
            Publishing.Release();
        }
    }

    /// <summary>The most recently written source file (.cs, .csproj, .props) the executable depends on.</summary>
    private static string? NewestSource()
    {
        string? newest = null;
        var newestTime = DateTime.MinValue;
        foreach (var source in Sources.Select(s => Path.Combine(RepositoryRoot.Path, s)))
        {
            var files = File.Exists(source) ? [source]
                : Directory.Exists(source) ? Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories)
                    .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal))
                    .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
                : [];
            foreach (var file in files)
            {
                var time = File.GetLastWriteTimeUtc(file);
                if (time > newestTime)
                {
                    (newest, newestTime) = (file, time);
                }
            }
        }
        return newest;
    }
}
