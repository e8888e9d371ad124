using Horizon.NodeAgent.Engine;
using Horizon.Testing.Docker;
using Horizon.Testing.Registry;
using Xunit;

namespace Horizon.Docker.Tests.Engine;

/// <summary>Pulls from a real docker-registry that demands htpasswd credentials, through the agent's engine and hzn's helper.</summary>
public sealed class ImageTests(DockerFixture docker, RegistryFixture registry)
    : IClassFixture<DockerFixture>, IClassFixture<RegistryFixture>, IAsyncLifetime
{
    private readonly List<string> _localReferences = [];

    private RegistryServer Registry => registry.Server;

    private RegistryCredentials GoodCredentials => new(Registry.UserName, Registry.Password, Registry.Host);

    [Fact]
    public async Task Pull_ByTagWithGoodCredentials_BringsTheImageWithItsRepoDigest()
    {
        using var engine = EngineTestKit.Engine();
        var ct = EngineTestKit.Deadline(120);
        var (tagged, pinned) = await PushThenForgetLocallyAsync("bytag");
        Assert.Null(await engine.FindImageAsync(tagged, ct));

        var image = await engine.PullImageAsync(tagged, GoodCredentials, ct);

        Assert.Contains(pinned, image.RepoDigests);
        var found = await engine.FindImageAsync(tagged, ct);
        Assert.Equal(image.Id, found!.Id);
        Assert.Equal(image.RepoDigests, found.RepoDigests);
    }

    [Fact]
    public async Task Pull_ByDigest_YieldsAnImageWhoseRepoDigestsHoldThatDigest()
    {
        using var engine = EngineTestKit.Engine();
        var ct = EngineTestKit.Deadline(120);
        var (_, pinned) = await PushThenForgetLocallyAsync("bydigest");
        var baseImage = await engine.FindImageAsync(DockerCli.BaseImage, ct);

        var image = await engine.PullImageAsync(pinned, GoodCredentials, ct);

        Assert.Contains(pinned, image.RepoDigests);
        Assert.Equal(baseImage!.Id, image.Id);
        Assert.Equal(image.Id, (await engine.FindImageAsync(pinned, ct))!.Id);
    }

    [Fact]
    public async Task Pull_ByADigestTheRegistryDoesNotHave_IsNotFound()
    {
        using var engine = EngineTestKit.Engine();
        var (_, pinned) = await PushThenForgetLocallyAsync("wrongdigest");
        var wrong = pinned[..(pinned.IndexOf('@', StringComparison.Ordinal) + 1)] + "sha256:" + new string('0', 64);

        await Assert.ThrowsAsync<EngineNotFoundException>(() => engine.PullImageAsync(wrong, GoodCredentials, EngineTestKit.Deadline()));
    }

    [Fact]
    public async Task Pull_WithAWrongPassword_IsRefusedAsAuthentication_WithoutThePasswordInTheMessage()
    {
        using var engine = EngineTestKit.Engine();
        var (tagged, _) = await PushThenForgetLocallyAsync("badpass");

        var error = await Assert.ThrowsAsync<EngineAuthenticationException>(() =>
            engine.PullImageAsync(tagged, GoodCredentials with { Password = "not-" + Registry.Password }, EngineTestKit.Deadline()));

        Assert.DoesNotContain(Registry.Password, error.ToString(), StringComparison.Ordinal);
        Assert.Null(await engine.FindImageAsync(tagged));
    }

    [Fact]
    public async Task Pull_WithoutCredentials_IsRefusedAsAuthentication()
    {
        using var engine = EngineTestKit.Engine();
        var (_, pinned) = await PushThenForgetLocallyAsync("anonymous");

        await Assert.ThrowsAsync<EngineAuthenticationException>(() => engine.PullImageAsync(pinned, credentials: null, EngineTestKit.Deadline()));
    }

    [Fact]
    public async Task Pull_OfATagTheRegistryDoesNotHave_IsNotFound()
    {
        using var engine = EngineTestKit.Engine();
        var missing = $"{Registry.Host}/hzn-test-{docker.RunId}/absent:9.9.9";

        await Assert.ThrowsAsync<EngineNotFoundException>(() => engine.PullImageAsync(missing, GoodCredentials, EngineTestKit.Deadline()));
    }

    [Fact]
    public async Task HznPull_ThroughTheSharedHelper_ReportsARefusalThatComesInsideTheProgressStream()
    {
        using var client = DockerClients.Create(DockerEndpoint.FromEnvironment(), TimeSpan.FromSeconds(60));
        var (tagged, pinned) = await PushThenForgetLocallyAsync("helper");

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => client.Images.PullAsync(tagged, GoodCredentials with { Password = "wrong" }, EngineTestKit.Deadline()));
        await client.Images.PullAsync(tagged, GoodCredentials, EngineTestKit.Deadline(120));

        Assert.Equal(DockerFailureKind.RegistryAuthentication, refused switch
        {
            DockerPullException pull => pull.Kind,
            global::Docker.DotNet.DockerApiException api => DockerFailures.Classify(api),
            _ => DockerFailureKind.Other,
        });
        Assert.Contains(pinned, (await client.Images.InspectImageAsync(tagged)).RepoDigests);
    }

    /// <summary>
    /// Pushes the base image under a unique repository, then drops the local tag and digest
    /// reference the push left behind, so the pull under test has to go to the registry.
    /// </summary>
    private async Task<(string Tagged, string Pinned)> PushThenForgetLocallyAsync(string name)
    {
        var repository = $"hzn-test-{docker.RunId}/{name}";
        var pinned = await Registry.PushBaseImageAsync(repository);
        var tagged = $"{Registry.Host}/{repository}:1.0.0";
        _localReferences.AddRange([tagged, pinned]);
        await docker.Cli.RunCheckedAsync(["rmi", tagged]);
        return (tagged, pinned);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // The references share the base image's layers, so removing them only untags.
        foreach (var reference in _localReferences)
        {
            await docker.Cli.RunAsync(["rmi", reference]);
        }
    }
}
