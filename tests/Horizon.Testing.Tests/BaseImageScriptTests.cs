using Horizon.Testing.Docker;

namespace Horizon.Testing.Tests;

/// <summary>tools/images/build-base-image.sh, run into a scratch repository so the image the tests use is left alone.</summary>
public sealed class BaseImageScriptTests : IAsyncLifetime
{
    private readonly DockerCli _docker = new();
    private readonly string _repository = $"hzn-test-base-{Guid.NewGuid():N}"[..26] + "/busybox";

    public async Task InitializeAsync() => await _docker.RequireEngineAndBaseImageAsync();

    [Fact]
    public async Task BuildingTwice_GivesTheSameImageId_AndTheImageRuns()
    {
        var first = await BuildAsync();
        var firstId = await ImageIdAsync(first);
        var second = await BuildAsync();
        var secondId = await ImageIdAsync(second);

        Assert.Equal(first, second);
        Assert.StartsWith(_repository + ":", first, StringComparison.Ordinal);
        Assert.Equal(firstId, secondId);
        Assert.Equal(firstId, await ImageIdAsync(_repository + ":latest"));
        var run = await _docker.RunAsync(["run", "--rm", first, "echo", "reproducible"]);
        Assert.Equal("reproducible", run.StandardOutput.Trim());
    }

    private async Task<string> BuildAsync()
    {
        var script = Path.Combine(RepositoryRoot.Path, "tools", "images", "build-base-image.sh");
        var result = await Processes.CommandLine.RunAsync(script, [],
            environment: new Dictionary<string, string> { ["HZN_BASE_IMAGE_REPO"] = _repository, ["HZN_BASE_IMAGE_REBUILD"] = "1" });
        Assert.True(result.Succeeded, result.StandardError);
        return result.StandardOutput.Trim().Split('\n')[^1];
    }

    private async Task<string> ImageIdAsync(string reference) =>
        await _docker.RunCheckedAsync(["image", "inspect", "--format", "{{.Id}}", reference]);

    public async Task DisposeAsync()
    {
        var tags = await _docker.RunAsync(["image", "ls", "--format", "{{.Repository}}:{{.Tag}}", _repository]);
        foreach (var tag in tags.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            await _docker.RunAsync(["rmi", tag]);
        }
    }
}
