using Xunit;

namespace Horizon.Testing.Docker;

/// <summary>
/// Access to the Docker engine that tools/setup.sh started. Everything created through it carries
/// this fixture's run label and a unique name, and is removed on dispose even when a test failed.
/// Containers that code under test creates can carry <see cref="RunLabel"/> too, to be swept as well.
/// </summary>
public class DockerFixture : IAsyncLifetime
{
    /// <summary>The label key every test-created object carries.</summary>
    public const string RunLabelKey = "org.openhorizon.horizon.test-run";

    private readonly List<string> _containers = [];
    private readonly List<string> _networks = [];
    private readonly Lock _gate = new();

    public DockerCli Cli { get; } = new();

    /// <summary>A value unique to this fixture instance, used in names and labels.</summary>
    public string RunId { get; } = Guid.NewGuid().ToString("N")[..12];

    /// <summary><c>key=value</c> of the run label.</summary>
    public string RunLabel => $"{RunLabelKey}={RunId}";

    public async Task InitializeAsync() => await Cli.RequireEngineAndBaseImageAsync();

    /// <summary>A name no other test uses: <c>hzn-test-{prefix}-{run}-{random}</c>.</summary>
    public string UniqueName(string prefix) => $"hzn-test-{prefix}-{RunId}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>Creates an internal bridge network (no route off the machine) and returns its name.</summary>
    public async Task<string> CreateNetworkAsync(string prefix = "net", CancellationToken cancellationToken = default)
    {
        var name = UniqueName(prefix);
        Track(_networks, name);
        await Cli.RunCheckedAsync(["network", "create", "--internal", "--label", RunLabel, name], cancellationToken: cancellationToken);
        return name;
    }

    /// <summary>
    /// Runs a container from the base image to completion (<c>docker run</c> without <c>--rm</c>, so
    /// its exit code and logs stay inspectable) and returns its stdout.
    /// </summary>
    public async Task<(int ExitCode, string Output, string Name)> RunToCompletionAsync(IReadOnlyList<string> command,
        string? network = null, string prefix = "run", CancellationToken cancellationToken = default)
    {
        var name = UniqueName(prefix);
        Track(_containers, name);
        List<string> args = ["run", "--name", name, "--label", RunLabel];
        if (network is not null)
        {
            args.AddRange(["--network", network]);
        }
        args.Add(DockerCli.BaseImage);
        args.AddRange(command);
        var result = await Cli.RunAsync(args, timeout: TimeSpan.FromMinutes(1), cancellationToken: cancellationToken);
        return (result.ExitCode, result.StandardOutput, name);
    }

    /// <summary>Starts a detached container from the base image and returns its name.</summary>
    public async Task<string> StartDetachedAsync(IReadOnlyList<string> command, string? network = null,
        string? networkAlias = null, string prefix = "svc", CancellationToken cancellationToken = default)
    {
        var name = UniqueName(prefix);
        Track(_containers, name);
        List<string> args = ["run", "-d", "--name", name, "--label", RunLabel];
        if (network is not null)
        {
            args.AddRange(["--network", network]);
        }
        if (networkAlias is not null)
        {
            args.AddRange(["--network-alias", networkAlias]);
        }
        args.Add(DockerCli.BaseImage);
        args.AddRange(command);
        await Cli.RunCheckedAsync(args, cancellationToken: cancellationToken);
        return name;
    }

    /// <summary>Whether a container or network with this name exists.</summary>
    public async Task<bool> ExistsAsync(string kind, string name) =>
        (await Cli.RunAsync([kind, "inspect", name])).Succeeded;

    private void Track(List<string> list, string name)
    {
        lock (_gate)
        {
            list.Add(name);
        }
    }

    public async Task DisposeAsync()
    {
        // Containers first: a network cannot be removed while something is attached to it.
        var labelled = await Cli.RunAsync(["ps", "-aq", "--filter", $"label={RunLabel}"]);
        var containers = _containers.Concat(labelled.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Distinct().ToList();
        if (containers.Count > 0)
        {
            await Cli.RunAsync(["rm", "-f", "-v", .. containers]);
        }
        var labelledNetworks = await Cli.RunAsync(["network", "ls", "-q", "--filter", $"label={RunLabel}"]);
        var networks = _networks.Concat(labelledNetworks.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Distinct().ToList();
        foreach (var network in networks)
        {
            await Cli.RunAsync(["network", "rm", network]);
        }
    }
}
