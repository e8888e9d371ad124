using System.Globalization;
using Horizon.Testing;
using Horizon.Testing.EndToEnd;

namespace Horizon.Bench.HelloEdge;

/// <summary>
/// One end-to-end site (its own org, agbot and node agent processes) with the hello-edge sample of
/// patterns/examples/hello-edge published, driven with hzn the way its README tells a user to.
/// </summary>
internal sealed class HelloEdgeNode(EdgeSite site)
{
    private const string Pattern = "hello-edge";
    private static readonly string SampleFolder = Path.Combine(RepositoryRoot.Path, "patterns", "examples", "hello-edge");

    public EdgeSite Site => site;

    /// <summary>Both services (pinned to digests and signed by hzn) and the pattern, served by the site's agbot.</summary>
    public async Task PublishAsync(CancellationToken cancellationToken)
    {
        foreach (var service in new[] { "producer", "consumer" })
        {
            await site.Hzn.RunCheckedAsync(["exchange", "service", "publish", "-f", Sample($"{service}.service.definition.json"), "-r", site.RegistryAuth],
                timeout: TimeSpan.FromMinutes(2), cancellationToken: cancellationToken);
        }
        await site.Hzn.RunCheckedAsync(["exchange", "pattern", "publish", "-f", Sample("pattern.json")], cancellationToken: cancellationToken);
        await site.Hzn.RunCheckedAsync(["exchange", "agbot", "addpattern", site.AgbotId, site.Org, Pattern], cancellationToken: cancellationToken);
    }

    /// <summary>
    /// <c>hzn register -n id:token -p hello-edge -f userinput.json</c> without --wait: it returns once the
    /// node agent has registered with the exchange, and the caller watches the engine itself.
    /// </summary>
    /// <exception cref="InvalidOperationException">hzn exited non-zero.</exception>
    public Task<string> RegisterAsync(CancellationToken cancellationToken) =>
        site.Hzn.RunCheckedAsync(["register", "-n", $"{site.NodeId}:{site.NodeToken}", "-p", Pattern, "-f", Sample("userinput.json")],
            cancellationToken: cancellationToken);

    /// <summary>
    /// <c>hzn unregister</c> (cancels the agreement, removes its containers and networks, deletes the node
    /// from the exchange), then the node record again, as its owner would before registering anew.
    /// </summary>
    public async Task UnregisterAndRecreateNodeAsync(CancellationToken cancellationToken)
    {
        await site.Hzn.RunCheckedAsync(["unregister"], timeout: TimeSpan.FromMinutes(2), cancellationToken: cancellationToken);
        await site.Hzn.With(new Dictionary<string, string> { ["HZN_NODE_TOKEN"] = site.NodeToken }).RunCheckedAsync(["exchange", "node", "add", site.NodeId, "-a", "amd64"], cancellationToken: cancellationToken);
    }

    /// <summary>
    /// The node agent's process id: the fixture starts it with its state folder as working directory,
    /// so the one dotnet process running Horizon.NodeAgent.dll from that folder is it.
    /// </summary>
    /// <exception cref="InvalidOperationException">No such process (the agent exited).</exception>
    public int FindNodeAgentProcess()
    {
        var state = Path.GetFullPath(Path.Combine(site.Folder, "node-agent"));
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            try
            {
                var cwd = new DirectoryInfo(Path.Combine(entry, "cwd")).ResolveLinkTarget(returnFinalTarget: false)?.FullName;
                if (cwd == state && File.ReadAllText(Path.Combine(entry, "cmdline")).Contains("Horizon.NodeAgent.dll", StringComparison.Ordinal))
                {
                    return pid;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A process that ended while we looked, or one of another user's.
            }
        }
        throw new InvalidOperationException($"no node agent process runs in {state}\n{site.Diagnostics()}");
    }

    private static string Sample(string file) => Path.Combine(SampleFolder, file);
}
