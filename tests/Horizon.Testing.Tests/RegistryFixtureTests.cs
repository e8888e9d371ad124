using Horizon.Testing.Docker;
using Horizon.Testing.Registry;

namespace Horizon.Testing.Tests;

public sealed class RegistryFixtureTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    [Fact]
    public async Task Push_ThenPullWithCredentials_ReturnsTheSameDigest()
    {
        var registry = fixture.Server;
        var pinned = await registry.PushBaseImageAsync("fixture/pull-ok");
        Assert.Matches(@"^127\.0\.0\.1:\d+/fixture/pull-ok@sha256:[0-9a-f]{64}$", pinned);

        var pulled = await registry.Docker.RunAsync(["pull", pinned]);

        Assert.True(pulled.Succeeded, pulled.StandardError);
        Assert.Contains(pinned.Split('@')[1], pulled.StandardOutput);
    }

    [Fact]
    public async Task Pull_WithoutCredentials_IsRefused()
    {
        var registry = fixture.Server;
        var pinned = await registry.PushBaseImageAsync("fixture/pull-denied");
        using var emptyConfig = new TempDirectory();
        var anonymous = new DockerCli(emptyConfig.Path);

        var pulled = await anonymous.RunAsync(["pull", pinned]);

        Assert.False(pulled.Succeeded);
        Assert.Matches("(?i)unauthorized|no basic auth credentials|authentication required", pulled.StandardError);
    }

    [Fact]
    public async Task Login_WithAWrongPassword_IsRefused()
    {
        using var config = new TempDirectory();
        var cli = new DockerCli(config.Path);

        var login = await cli.RunAsync(["login", fixture.Server.Host, "-u", fixture.Server.UserName, "--password-stdin"], standardInput: "wrong");

        Assert.False(login.Succeeded);
        Assert.Matches("(?i)unauthorized|401", login.StandardError);
    }
}
