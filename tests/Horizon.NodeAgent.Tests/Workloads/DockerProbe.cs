using Horizon.NodeAgent.Workloads;
using Horizon.Testing.Docker;

namespace Horizon.NodeAgent.Tests.Workloads;

/// <summary>Reads engine state through the docker CLI, a path independent of the agent's API client.</summary>
internal static class DockerProbe
{
    public static async Task<IReadOnlyList<string>> ContainersOfAsync(DockerFixture docker, string agreementId) =>
        Lines(await docker.Cli.RunCheckedAsync(["ps", "-aq", "--no-trunc", "--filter", $"label={WorkloadLabels.Agreement}={agreementId}"]));

    public static async Task<IReadOnlyList<string>> NetworksOfAsync(DockerFixture docker, string agreementId) =>
        Lines(await docker.Cli.RunCheckedAsync(["network", "ls", "-q", "--filter", $"label={WorkloadLabels.Agreement}={agreementId}"]));

    public static async Task<string> InspectAsync(DockerFixture docker, string container, string format) =>
        await docker.Cli.RunCheckedAsync(["inspect", "--format", format, container]);

    /// <summary>Polls the container's logs until <paramref name="text"/> shows up or the deadline passes.</summary>
    public static async Task<bool> LogsEventuallyContainAsync(DockerFixture docker, string container, string text, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            var logs = await docker.Cli.RunAsync(["logs", container]);
            if (logs.StandardOutput.Contains(text, StringComparison.Ordinal))
            {
                return true;
            }
            await Task.Delay(250);
        }
        return false;
    }

    /// <summary>Polls until <paramref name="condition"/> holds or the deadline passes.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }
            await Task.Delay(200);
        }
        return await condition();
    }

    private static List<string> Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
