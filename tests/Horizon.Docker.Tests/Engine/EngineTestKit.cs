using Horizon.Testing.Docker;

namespace Horizon.Docker.Tests.Engine;

/// <summary>What every engine test needs: a client on the real engine and specs labelled for the fixture's sweep.</summary>
internal static class EngineTestKit
{
    /// <summary>A client on the engine tools/setup.sh started (DOCKER_HOST or the standard socket).</summary>
    public static DockerClient Client(DockerClientOptions? options = null) => new(options ?? DockerClientOptions.Default);

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

    /// <summary>A bound on anything a test waits for, so a broken engine fails the test instead of hanging it.</summary>
    public static CancellationToken Deadline(int seconds = 60) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;
}
