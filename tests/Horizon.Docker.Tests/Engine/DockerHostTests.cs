using Horizon.NodeAgent.Engine.Docker;
using Horizon.Testing.Docker;
using Xunit;

namespace Horizon.Docker.Tests.Engine;

/// <summary>
/// DOCKER_HOST is process-wide, so these tests run alone: no other test may build its options
/// while the variable points at a relay that is about to go away.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DockerHostEnvironment
{
    public const string Name = "DOCKER_HOST";
}

[Collection(DockerHostEnvironment.Name)]
public sealed class DockerHostTests(DockerFixture fixture) : IClassFixture<DockerFixture>
{
    // The relays forward to the engine tools/setup.sh started, found the usual way before DOCKER_HOST is changed.
    private static readonly string s_engineSocket = DockerEngineOptions.Default.Endpoint.AbsolutePath;

    [Fact]
    public async Task DockerHost_AUnixSocket_IsWhereNewEnginesConnect()
    {
        await using var relay = EngineRelay.OnUnixSocket(s_engineSocket);
        var options = OptionsWithDockerHost(relay.Endpoint.OriginalString);
        using var engine = EngineTestKit.Engine(options);

        await engine.PingAsync(EngineTestKit.Deadline());

        Assert.Equal(relay.Endpoint, options.Endpoint);
        Assert.True(relay.Accepted >= 1, "the ping should have gone through DOCKER_HOST's socket");
    }

    [Fact]
    public async Task DockerHost_ATcpAddress_IsWhereNewEnginesConnect_ForEveryKindOfCall()
    {
        await using var relay = EngineRelay.OnLoopbackTcp(s_engineSocket);
        var options = OptionsWithDockerHost(relay.Endpoint.OriginalString);
        using var engine = EngineTestKit.Engine(options);
        var ct = EngineTestKit.Deadline();

        var id = await engine.CreateContainerAsync(EngineTestKit.Spec(fixture, "tcp", "sh", "-c", "echo over-tcp"), ct);
        await engine.StartContainerAsync(id, ct);
        Assert.Equal(0, await EngineTestKit.WaitAsync(fixture, id, ct));
        var container = await engine.FindContainerAsync(id, ct);

        Assert.Equal("tcp", options.Endpoint.Scheme);
        Assert.Equal(("exited", 0), (container!.State, container.ExitCode));
        Assert.True(relay.Accepted >= 1, "the calls should have gone through DOCKER_HOST's TCP address");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void DockerHost_UnsetOrEmpty_MeansTheStandardSocket(string? value) =>
        Assert.Equal(DockerClients.DefaultEndpoint, OptionsWithDockerHost(value).Endpoint);

    [Fact]
    public void DockerHost_WithAnUnsupportedScheme_FailsWhenOptionsAreMade()
    {
        var error = Assert.Throws<ArgumentException>(() => OptionsWithDockerHost("ssh://edge@example"));

        Assert.Contains("not supported", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Builds options with DOCKER_HOST set to <paramref name="value"/>, then puts the variable back.</summary>
    private static DockerEngineOptions OptionsWithDockerHost(string? value)
    {
        // Default is built once, from DOCKER_HOST at first use; build it before the variable changes
        // so that a value set here can never become every other test's default.
        _ = DockerEngineOptions.Default;
        var previous = Environment.GetEnvironmentVariable("DOCKER_HOST");
        try
        {
            Environment.SetEnvironmentVariable("DOCKER_HOST", value);
            return new DockerEngineOptions();
        }
        finally
        {
            Environment.SetEnvironmentVariable("DOCKER_HOST", previous);
        }
    }
}
