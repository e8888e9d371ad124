using Horizon.Testing.Docker;
using Horizon.Testing.Registry;
using Xunit;

namespace Horizon.Docker.Tests.Engine;

/// <summary>Pulls from a real docker-registry that demands htpasswd credentials.</summary>
public sealed class ImageTests(DockerFixture docker, RegistryFixture registry)
    : IClassFixture<DockerFixture>, IClassFixture<RegistryFixture>, IAsyncLifetime
{
    private readonly List<string> _localReferences = [];
    private readonly List<string> _containers = [];

    private RegistryServer Registry => registry.Server;

    private RegistryCredentials GoodCredentials => new(Registry.UserName, Registry.Password, Registry.Host);

    [Fact]
    public async Task Pull_ByTagWithGoodCredentials_BringsTheImageWithItsRepoDigest()
    {
        using var client = EngineTestKit.Client();
        var ct = EngineTestKit.Deadline(120);
        var (tagged, pinned) = await PushThenForgetLocallyAsync("bytag");
        await Assert.ThrowsAsync<DockerNotFoundException>(() => client.Images.InspectAsync(tagged, ct));

        var progress = new List<ImagePullProgress>();
        await foreach (var line in client.Images.PullAsync(tagged, GoodCredentials, ct))
        {
            progress.Add(line);
        }

        var digest = pinned[(pinned.IndexOf('@', StringComparison.Ordinal) + 1)..];
        Assert.Contains(progress, p => p.Status == $"Digest: {digest}");
        var image = await client.Images.InspectAsync(tagged, ct);
        Assert.Contains(pinned, image.RepoDigests);
        Assert.Contains(tagged, image.RepoTags);
    }

    [Fact]
    public async Task Pull_ByDigest_YieldsAnImageWhoseRepoDigestsHoldThatDigest()
    {
        using var client = EngineTestKit.Client();
        var ct = EngineTestKit.Deadline(120);
        var (_, pinned) = await PushThenForgetLocallyAsync("bydigest");
        var baseImage = await client.Images.InspectAsync(DockerCli.BaseImage, ct);

        var image = await client.Images.PullAndInspectAsync(pinned, GoodCredentials, ct);

        Assert.Contains(pinned, image.RepoDigests);
        Assert.Equal(baseImage.Id, image.Id);
        Assert.Equal(image.Id, (await client.Images.InspectAsync(pinned, ct)).Id);
    }

    [Fact]
    public async Task Pull_ByADigestTheRegistryDoesNotHave_IsNotFound()
    {
        using var client = EngineTestKit.Client();
        var (_, pinned) = await PushThenForgetLocallyAsync("wrongdigest");
        var wrong = pinned[..(pinned.IndexOf('@', StringComparison.Ordinal) + 1)] + "sha256:" + new string('0', 64);

        await Assert.ThrowsAsync<DockerNotFoundException>(() => client.Images.PullAndInspectAsync(wrong, GoodCredentials, EngineTestKit.Deadline()));
    }

    [Fact]
    public async Task Pull_WithAWrongPassword_IsRefusedAsUnauthorized()
    {
        using var client = EngineTestKit.Client();
        var (tagged, _) = await PushThenForgetLocallyAsync("badpass");

        var error = await Assert.ThrowsAsync<DockerUnauthorizedException>(() =>
            client.Images.PullAndInspectAsync(tagged, GoodCredentials with { Password = "not-" + Registry.Password }, EngineTestKit.Deadline()));

        Assert.DoesNotContain(Registry.Password, error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<DockerNotFoundException>(() => client.Images.InspectAsync(tagged));
    }

    [Fact]
    public async Task Pull_WithoutCredentials_IsRefusedAsUnauthorized()
    {
        using var client = EngineTestKit.Client();
        var (_, pinned) = await PushThenForgetLocallyAsync("anonymous");

        await Assert.ThrowsAsync<DockerUnauthorizedException>(() => client.Images.PullAndInspectAsync(pinned, credentials: null, EngineTestKit.Deadline()));
    }

    [Fact]
    public async Task Pull_OfATagTheRegistryDoesNotHave_IsNotFound()
    {
        using var client = EngineTestKit.Client();
        var missing = $"{Registry.Host}/hzn-test-{docker.RunId}/absent:9.9.9";

        await Assert.ThrowsAsync<DockerNotFoundException>(() => client.Images.PullAndInspectAsync(missing, GoodCredentials, EngineTestKit.Deadline()));
    }

    [Fact]
    public async Task InspectAndRemove_OfAnImageThatIsNotHere_AreNotFound()
    {
        using var client = EngineTestKit.Client();
        var missing = $"hzn/not-here-{Guid.NewGuid():N}:1";

        await Assert.ThrowsAsync<DockerNotFoundException>(() => client.Images.InspectAsync(missing));
        await Assert.ThrowsAsync<DockerNotFoundException>(() => client.Images.RemoveAsync(missing));
    }

    [Fact]
    public async Task Remove_OfAPulledReference_ForgetsItButKeepsTheBaseImage()
    {
        using var client = EngineTestKit.Client();
        var ct = EngineTestKit.Deadline(120);
        var (_, pinned) = await PushThenForgetLocallyAsync("remove");
        await client.Images.PullAndInspectAsync(pinned, GoodCredentials, ct);

        await client.Images.RemoveAsync(pinned, cancellationToken: ct);

        await Assert.ThrowsAsync<DockerNotFoundException>(() => client.Images.InspectAsync(pinned, ct));
        Assert.DoesNotContain(pinned, (await client.Images.InspectAsync(DockerCli.BaseImage, ct)).RepoDigests);
    }

    [Fact]
    public async Task Remove_OfTheLastReferenceAContainerUses_IsAConflict_UnlessForced()
    {
        using var client = EngineTestKit.Client();
        var ct = EngineTestKit.Deadline();
        // An image of its own, so that this reference is its only one (the base image's are shared).
        var reference = $"hzn-test-{docker.RunId}/in-use:{Guid.NewGuid():N}";
        var source = docker.UniqueName("commit-src");
        await docker.Cli.RunCheckedAsync(["create", "--name", source, "--label", docker.RunLabel, DockerCli.BaseImage, "true"], cancellationToken: ct);
        // By id, because a forced removal only untags an image a container still uses.
        _localReferences.Add(await docker.Cli.RunCheckedAsync(["commit", source, reference], cancellationToken: ct));
        var user = await client.Containers.CreateAsync(EngineTestKit.Spec(docker, "image-user", "true") with { Image = reference }, ct);
        _containers.Add(user.Id);

        var error = await Assert.ThrowsAsync<DockerConflictException>(() => client.Images.RemoveAsync(reference, cancellationToken: ct));
        Assert.Contains("must force", error.ResponseMessage, StringComparison.Ordinal);
        Assert.Equal(reference, Assert.Single((await client.Images.InspectAsync(reference, ct)).RepoTags));

        await client.Images.RemoveAsync(reference, force: true, cancellationToken: ct);
        await Assert.ThrowsAsync<DockerNotFoundException>(() => client.Images.InspectAsync(reference, ct));
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
        // Containers first: an image a container uses cannot be removed. The fixture would sweep
        // them too, but only after this class's images are gone.
        if (_containers.Count > 0)
        {
            await docker.Cli.RunAsync(["rm", "-f", "-v", .. _containers]);
        }
        // The references share the base image's layers, so removing them only untags.
        foreach (var reference in _localReferences)
        {
            await docker.Cli.RunAsync(["rmi", reference]);
        }
    }
}
