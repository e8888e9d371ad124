using Horizon.Agreements;
using Horizon.Docker;
using Horizon.NodeAgent.State;
using Horizon.NodeAgent.Tests.Support;
using Horizon.Testing;
using Horizon.Testing.Docker;
using Horizon.Testing.Registry;
using Xunit;

namespace Horizon.NodeAgent.Tests.Workloads;

[Collection(EngineTests.Name)]
public sealed class AgreementLifecycleTests(DockerFixture docker, RegistryFixture registry) : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _state = new("hzn-agent");
    private readonly List<string> _images = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Images.ForgetAsync(docker, [.. _images]);
    }

    public void Dispose() => _state.Dispose();

    private async Task<string> PublishAsync(string name)
    {
        var image = await Images.PublishAsync(registry.Server, $"{name}-{Guid.NewGuid():N}"[..24]);
        _images.Add(image);
        return image;
    }

    [Fact]
    public async Task TamperedDigest_OnTheTopLevelService_StartsNothing_AndFailsWith112()
    {
        await using var agent = await AgentHarness.CreateAsync(docker, registry, _state.Path);
        var producer = Services.Service("producer.test", Services.Deployment(("producer", await PublishAsync("prod"), Services.Sleeper())));
        var consumerImage = await PublishAsync("cons");
        var tampered = consumerImage[..consumerImage.IndexOf('@', StringComparison.Ordinal)] + ":1.0.0@" + Images.ForgedDigest();
        var consumer = Services.Service("consumer.test", Services.Deployment(("consumer", tampered, Services.Sleeper())), requires: producer);
        var agreementId = AgreementId.New();

        var outcome = await agent.Lifecycle.StartAsync(agreementId, Services.Terms(consumer, producer), agent.Credentials);

        Assert.Equal(AgreementState.Failed, outcome.State);
        Assert.Equal(CancelReason.ImageDataError, outcome.Reason);
        Assert.Contains("pins sha256:", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(await DockerProbe.ContainersOfAsync(docker, agreementId));
        Assert.Empty(await DockerProbe.NetworksOfAsync(docker, agreementId));
        Assert.Equal(112, (await agent.Agreements.GetAsync(agreementId))!.Reason);
        Assert.Contains((await agent.EventLog.QueryAsync(agreementId)), e => e.Kind == "agreement.failed" && e.Reason == 112);
        var failure = Assert.Single((await agent.Outbox.ListDueAsync()).Select(o => o.Message).OfType<CancelAgreement>());
        Assert.Equal((agreementId, (int)CancelReason.ImageDataError), (failure.AgreementId, failure.Reason));
    }

    [Fact]
    public async Task UnpinnedImage_FailsWith112_BeforeAnyPull()
    {
        await using var agent = await AgentHarness.CreateAsync(docker, registry, _state.Path);
        var image = await PublishAsync("unpinned");
        var byTag = image[..image.IndexOf('@', StringComparison.Ordinal)] + ":1.0.0";
        var service = Services.Service("unpinned.test", Services.Deployment(("web", byTag, Services.Sleeper())));

        var outcome = await agent.Lifecycle.StartAsync(AgreementId.New(), Services.Terms(service), agent.Credentials);

        Assert.Equal(CancelReason.ImageDataError, outcome.Reason);
        Assert.Contains("not pinned by digest", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongRegistryPassword_FailsWith114_AndStartsNothing()
    {
        await using var agent = await AgentHarness.CreateAsync(docker, registry, _state.Path);
        var service = Services.Service("auth.test", Services.Deployment(("web", await PublishAsync("auth"), Services.Sleeper())));
        var agreementId = AgreementId.New();

        var outcome = await agent.Lifecycle.StartAsync(agreementId, Services.Terms(service),
            [new RegistryCredentials(registry.Server.UserName, "not-the-password", registry.Server.Host)]);

        Assert.Equal(CancelReason.ImageFetchAuthFailure, outcome.Reason);
        Assert.Empty(await DockerProbe.ContainersOfAsync(docker, agreementId));
    }

    [Fact]
    public async Task DigestMissingFromTheRegistry_FailsWith113()
    {
        await using var agent = await AgentHarness.CreateAsync(docker, registry, _state.Path);
        var image = await PublishAsync("missing");
        var missing = image[..image.IndexOf('@', StringComparison.Ordinal)] + "@" + Images.ForgedDigest();
        var service = Services.Service("missing.test", Services.Deployment(("web", missing, Services.Sleeper())));

        var outcome = await agent.Lifecycle.StartAsync(AgreementId.New(), Services.Terms(service), agent.Credentials);

        Assert.Equal(CancelReason.ImageFetchFailure, outcome.Reason);
    }

    [Fact]
    public async Task KilledContainer_IsRestarted_InPlace()
    {
        await using var agent = await AgentHarness.CreateAsync(docker, registry, _state.Path);
        await agent.StartSupervisionAsync();
        var service = Services.Service("killed.test", Services.Deployment(("web", await PublishAsync("killed"), Services.Sleeper())));
        var agreementId = AgreementId.New();
        Assert.True((await agent.Lifecycle.StartAsync(agreementId, Services.Terms(service), agent.Credentials)).Succeeded);
        var container = Assert.Single(await DockerProbe.ContainersOfAsync(docker, agreementId));
        var firstStart = await DockerProbe.InspectAsync(docker, container, "{{.State.StartedAt}}");

        await docker.Cli.RunCheckedAsync(["kill", container]);

        Assert.True(await DockerProbe.EventuallyAsync(async () =>
            await DockerProbe.InspectAsync(docker, container, "{{.State.Running}}") == "true"
            && await DockerProbe.InspectAsync(docker, container, "{{.State.StartedAt}}") != firstStart, TimeSpan.FromSeconds(20)),
            "the killed container was not started again");
        Assert.Contains((await agent.EventLog.QueryAsync(agreementId)), e => e.Kind == "container.restarted");
        Assert.Equal(AgreementState.Running, (await agent.Agreements.GetAsync(agreementId))!.State);

        Assert.True(await agent.Lifecycle.CancelAsync(agreementId, CancelReason.AgbotRequested));
        Assert.Empty(await DockerProbe.ContainersOfAsync(docker, agreementId));
        Assert.Empty(await DockerProbe.NetworksOfAsync(docker, agreementId));
        Assert.Equal(AgreementState.Terminated, (await agent.Agreements.GetAsync(agreementId))!.State);
    }

    [Fact]
    public async Task CrashLoopingService_PastItsRetries_EndsTheAgreementWith103_AndLeavesNothing()
    {
        await using var agent = await AgentHarness.CreateAsync(docker, registry, _state.Path);
        await agent.StartSupervisionAsync();
        var service = Services.Service("crash.test", Services.Deployment(("web", await PublishAsync("crash"), ["sh", "-c", "sleep 0.2; exit 3"])));
        var agreementId = AgreementId.New();
        var terms = Services.Terms(service) with { Retries = 2, RetryDurations = 120 };
        Assert.True((await agent.Lifecycle.StartAsync(agreementId, terms, agent.Credentials)).Succeeded);

        var failure = await agent.OwedCancelAsync(agreementId, TimeSpan.FromSeconds(30));

        Assert.Equal((agreementId, (int)CancelReason.ContainerFailure), (failure.AgreementId, failure.Reason));
        Assert.Equal(AgreementState.Failed, (await agent.Agreements.GetAsync(agreementId))!.State);
        Assert.Equal(2, (await agent.EventLog.QueryAsync(agreementId)).Count(e => e.Kind == "container.restarted"));
        Assert.Empty(await DockerProbe.ContainersOfAsync(docker, agreementId));
        Assert.Empty(await DockerProbe.NetworksOfAsync(docker, agreementId));
    }

    [Fact]
    public async Task CrashLoopingDependency_EndsTheAgreementWith108()
    {
        await using var agent = await AgentHarness.CreateAsync(docker, registry, _state.Path);
        await agent.StartSupervisionAsync();
        var producer = Services.Service("flaky.test", Services.Deployment(("flaky", await PublishAsync("flaky"), ["sh", "-c", "sleep 0.2; exit 1"])));
        var consumer = Services.Service("steady.test", Services.Deployment(("steady", await PublishAsync("steady"), Services.Sleeper())), requires: producer);
        var agreementId = AgreementId.New();
        var terms = Services.Terms(consumer, producer) with { Retries = 1, RetryDurations = 120 };
        Assert.True((await agent.Lifecycle.StartAsync(agreementId, terms, agent.Credentials)).Succeeded);

        var failure = await agent.OwedCancelAsync(agreementId, TimeSpan.FromSeconds(30));

        Assert.Equal((int)CancelReason.DependencyFailure, failure.Reason);
        Assert.Empty(await DockerProbe.ContainersOfAsync(docker, agreementId));
    }

    [Fact]
    public async Task AgentRestart_AdoptsRunningContainers_WithoutRestartingThem()
    {
        var producer = Services.Service("producer.test", Services.Deployment(("producer", await PublishAsync("aprod"), Services.HttpServer("still-here"))));
        var consumer = Services.Service("consumer.test", Services.Deployment(("consumer", await PublishAsync("acons"), Services.HttpPoller("producer"))), requires: producer);
        var agreementId = AgreementId.New();
        Dictionary<string, string> before = [];
        await using (var first = await AgentHarness.CreateAsync(docker, registry, _state.Path))
        {
            Assert.True((await first.Lifecycle.StartAsync(agreementId, Services.Terms(consumer, producer), first.Credentials)).Succeeded);
            foreach (var id in await DockerProbe.ContainersOfAsync(docker, agreementId))
            {
                before[id] = await DockerProbe.InspectAsync(docker, id, "{{.State.StartedAt}}");
            }
        }
        Assert.Equal(2, before.Count);

        await using var second = await AgentHarness.CreateAsync(docker, registry, _state.Path);
        // The registry is not needed to adopt: the verified images are on the node already.
        var restored = Assert.Single(await second.Lifecycle.RestoreAsync([]));
        await second.StartSupervisionAsync();

        Assert.True(restored.Succeeded, restored.Message);
        foreach (var (id, startedAt) in before)
        {
            Assert.Equal(startedAt, await DockerProbe.InspectAsync(docker, id, "{{.State.StartedAt}}"));
        }
        Assert.Equal(2, (await second.EventLog.QueryAsync(agreementId)).Count(e => e.Kind == "container.adopted"));
        Assert.Equal(before.Keys.Order(), second.Runner.ListInstances().SelectMany(i => i.Containers).Select(c => c.Id).Order());

        // Adopted means supervised: a kill is repaired by the new agent.
        var victim = before.Keys.First();
        await docker.Cli.RunCheckedAsync(["kill", victim]);
        Assert.True(await DockerProbe.EventuallyAsync(async () => await DockerProbe.InspectAsync(docker, victim, "{{.State.Running}}") == "true", TimeSpan.FromSeconds(20)));

        await second.Lifecycle.CancelAsync(agreementId, CancelReason.NodeUserRequested);
        Assert.Empty(await DockerProbe.ContainersOfAsync(docker, agreementId));
        Assert.Empty(await DockerProbe.NetworksOfAsync(docker, agreementId));
    }

    [Fact]
    public async Task SingletonDependency_IsSharedByTwoAgreements_AndRemovedWithTheLastOne()
    {
        await using var agent = await AgentHarness.CreateAsync(docker, registry, _state.Path);
        var shared = Services.Service("shared.test", Services.Deployment(("shared", await PublishAsync("shared"), Services.Sleeper())), sharable: "singleton");
        var consumerImage = await PublishAsync("user");
        var a = Services.Service("user-a.test", Services.Deployment(("a", consumerImage, Services.Sleeper())), requires: shared);
        var b = Services.Service("user-b.test", Services.Deployment(("b", consumerImage, Services.Sleeper())), requires: shared);
        var first = AgreementId.New();
        var second = AgreementId.New();
        Assert.True((await agent.Lifecycle.StartAsync(first, Services.Terms(a, shared), agent.Credentials)).Succeeded);
        Assert.True((await agent.Lifecycle.StartAsync(second, Services.Terms(b, shared), agent.Credentials)).Succeeded);

        var singleton = Assert.Single(agent.Runner.ListInstances(), i => i.Url == "shared.test");
        Assert.Equal(new[] { first, second }.Order(), singleton.Agreements.Order());
        var sharedContainer = Assert.Single(singleton.Containers).Id;

        await agent.Lifecycle.CancelAsync(first, CancelReason.AgbotRequested);
        Assert.Equal("true", await DockerProbe.InspectAsync(docker, sharedContainer, "{{.State.Running}}"));

        await agent.Lifecycle.CancelAsync(second, CancelReason.AgbotRequested);
        Assert.False(await docker.ExistsAsync("container", sharedContainer));
        Assert.Empty(agent.Runner.ListInstances());
        Assert.False(await docker.ExistsAsync("network", singleton.Network));
    }

    [Fact]
    public async Task ExclusiveService_InUse_RefusesASecondAgreement()
    {
        await using var agent = await AgentHarness.CreateAsync(docker, registry, _state.Path);
        var exclusive = Services.Service("exclusive.test", Services.Deployment(("only", await PublishAsync("excl"), Services.Sleeper())), sharable: "exclusive");
        var first = AgreementId.New();
        var second = AgreementId.New();
        Assert.True((await agent.Lifecycle.StartAsync(first, Services.Terms(exclusive), agent.Credentials)).Succeeded);

        var refused = await agent.Lifecycle.StartAsync(second, Services.Terms(exclusive), agent.Credentials);

        Assert.False(refused.Succeeded);
        Assert.Contains("exclusive", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await DockerProbe.ContainersOfAsync(docker, second));
        await agent.Lifecycle.CancelAsync(first, CancelReason.AgbotRequested);
    }
}
