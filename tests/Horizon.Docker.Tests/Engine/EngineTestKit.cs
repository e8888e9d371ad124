using System.Globalization;
using Horizon.NodeAgent.Engine;
using Horizon.NodeAgent.Engine.Docker;
using Horizon.Testing.Docker;
using Microsoft.Extensions.Logging.Abstractions;

namespace Horizon.Docker.Tests.Engine;

/// <summary>What every engine test needs: the agent's engine on the real Docker engine, and specs labelled for the fixture's sweep.</summary>
internal static class EngineTestKit
{
    /// <summary>The agent's engine adapter on the engine tools/setup.sh started (DOCKER_HOST or the standard socket).</summary>
    public static DockerContainerEngine Engine(DockerEngineOptions? options = null) =>
        new(options ?? DockerEngineOptions.Default, NullLogger<DockerContainerEngine>.Instance);

    /// <summary>Labels carrying the fixture's run label, so anything created is removed even when a test fails.</summary>
    public static Dictionary<string, string> RunLabels(DockerFixture fixture, params (string Key, string Value)[] more)
    {
        var labels = new Dictionary<string, string> { [DockerFixture.RunLabelKey] = fixture.RunId };
        foreach (var (key, value) in more)
        {
            labels[key] = value;
        }
        return labels;
    }

    /// <summary>A container from the base image with a unique name and the run label.</summary>
    public static ContainerSpec Spec(DockerFixture fixture, string prefix, params string[] command) => new()
    {
        Image = DockerCli.BaseImage,
        Name = fixture.UniqueName(prefix),
        Command = command.Length == 0 ? null : command,
        Labels = RunLabels(fixture),
    };

    /// <summary><c>docker wait</c>: the exit code once the container stopped (the port has no wait: the agent watches events).</summary>
    public static async Task<int> WaitAsync(DockerFixture fixture, string id, CancellationToken ct) =>
        int.Parse((await fixture.Cli.RunCheckedAsync(["wait", id], cancellationToken: ct)).Trim(), CultureInfo.InvariantCulture);

    /// <summary>One <c>docker inspect --format</c> value.</summary>
    public static async Task<string> InspectAsync(DockerFixture fixture, string id, string format, CancellationToken ct) =>
        (await fixture.Cli.RunCheckedAsync(["inspect", "--format", format, id], cancellationToken: ct)).Trim();

    /// <summary>A bound on anything a test waits for, so a broken engine fails the test instead of hanging it.</summary>
    public static CancellationToken Deadline(int seconds = 60) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;
}
