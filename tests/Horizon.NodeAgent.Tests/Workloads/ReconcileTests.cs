using Horizon.Agreements;
using Horizon.NodeAgent.State;
using Horizon.NodeAgent.Tests.Support;
using Horizon.Testing;
using Horizon.Testing.Docker;
using Horizon.Testing.Registry;
using Xunit;

namespace Horizon.NodeAgent.Tests.Workloads;

/// <summary>
/// Drift no event reported: what was removed or stopped while the agent was down, or while its
/// events were lost (here: no supervisor watching), is put back by the restore and the reconcile
/// pass; drift that keeps coming back ends the agreement like a crash loop.
/// </summary>
[Collection(EngineTests.Name)]
public sealed class ReconcileTests(DockerFixture docker, RegistryFixture registry) : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _state = new("hzn-reconcile");
    private string _image = "";

    public async Task InitializeAsync() => _image = await Images.PublishAsync(registry.Server, $"reconcile-{Guid.NewGuid():N}"[..24]);

    public async Task DisposeAsync() => await Images.ForgetAsync(docker, _image);

    public void Dispose() => _state.Dispose();

    [Fact]
    public async Task ContainerAndNetworkRemovedWhileTheAgentWasStopped_AreBackAfterItStarts()
    {
        var agreementId = AgreementId.New();
        var terms = Services.Terms(Services.Service("drift.test", Services.Deployment(("sleeper", _image, Services.Sleeper()))));
        await using (var first = await AgentHarness.CreateAsync(docker, registry, _state.Path))
        {
            Assert.True((await first.Lifecycle.StartAsync(agreementId, terms, first.Credentials)).Succeeded);
        }
        var container = Assert.Single(await DockerProbe.ContainersOfAsync(docker, agreementId));
        var network = Assert.Single(await DockerProbe.NetworksOfAsync(docker, agreementId));
        await docker.Cli.RunCheckedAsync(["rm", "-f", container]);
        await docker.Cli.RunCheckedAsync(["network", "rm", network]);

        await using var second = await AgentHarness.CreateAsync(docker, registry, _state.Path);
        var restored = Assert.Single(await second.Lifecycle.RestoreAsync(second.Credentials));
        var drift = await second.Runner.FindDriftAsync(agreementId);
        var now = Assert.Single(await DockerProbe.ContainersOfAsync(docker, agreementId));
        await second.Lifecycle.CancelAsync(agreementId, CancelReason.AgbotRequested);

        Assert.True(restored.Succeeded, restored.Message);
        Assert.Empty(drift);
        Assert.NotEqual(container, now);
    }

    [Fact]
    public async Task ContainerStoppedAndNetworkRemovedUnseen_AreRepairedOnTheSecondPassThatFindsThem()
    {
        await using var agent = await AgentHarness.CreateAsync(docker, registry, _state.Path);
        var agreementId = AgreementId.New();
        var terms = Services.Terms(Services.Service("drift.test", Services.Deployment(("sleeper", _image, Services.Sleeper()))));
        Assert.True((await agent.Lifecycle.StartAsync(agreementId, terms, agent.Credentials)).Succeeded);
        var container = Assert.Single(await DockerProbe.ContainersOfAsync(docker, agreementId));
        var network = Assert.Single(await DockerProbe.NetworksOfAsync(docker, agreementId));

        // No supervisor watches: as if the engine restarted and its events were lost.
        await docker.Cli.RunCheckedAsync(["stop", "-t", "0", container]);
        await docker.Cli.RunCheckedAsync(["network", "disconnect", "-f", network, container]);
        await docker.Cli.RunCheckedAsync(["network", "rm", network]);
        var first = await agent.Reconciler.ReconcileOnceAsync();
        var second = await agent.Reconciler.ReconcileOnceAsync();
        var repaired = Assert.Single(await DockerProbe.ContainersOfAsync(docker, agreementId));
        var running = await DockerProbe.InspectAsync(docker, repaired, "{{.State.Running}}");
        var networks = await DockerProbe.InspectAsync(docker, repaired, "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}");
        var drift = await agent.Runner.FindDriftAsync(agreementId);
        var networksNow = await DockerProbe.NetworksOfAsync(docker, agreementId);
        var instanceNetwork = agent.Runner.ListInstances().Single().Network;
        await agent.Lifecycle.CancelAsync(agreementId, CancelReason.AgbotRequested);

        Assert.Equal((0, 1), (first, second));
        Assert.Equal("true", running.Trim());
        Assert.Single(networksNow);
        Assert.Contains(instanceNetwork, networks, StringComparison.Ordinal);
        Assert.Empty(drift);
        Assert.Contains((await agent.EventLog.QueryAsync(agreementId)), e => e.Kind == "reconcile.repaired" && e.Message.Contains("is gone", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DriftThatComesBackPastTheRetryBudget_EndsTheAgreementWith103_AndOwesTheAgbotACancel()
    {
        await using var agent = await AgentHarness.CreateAsync(docker, registry, _state.Path);
        var agreementId = AgreementId.New();
        var terms = Services.Terms(Services.Service("drift.test", Services.Deployment(("sleeper", _image, Services.Sleeper())))) with { Retries = 1, RetryDurations = 600 };
        Assert.True((await agent.Lifecycle.StartAsync(agreementId, terms, agent.Credentials)).Succeeded);
        var container = Assert.Single(await DockerProbe.ContainersOfAsync(docker, agreementId));

        await docker.Cli.RunCheckedAsync(["stop", "-t", "0", container]);
        await agent.Reconciler.ReconcileOnceAsync();
        await agent.Reconciler.ReconcileOnceAsync();
        await docker.Cli.RunCheckedAsync(["stop", "-t", "0", container]);
        await agent.Reconciler.ReconcileOnceAsync();
        await agent.Reconciler.ReconcileOnceAsync();
        var cancel = await agent.OwedCancelAsync(agreementId, TimeSpan.FromSeconds(30));

        Assert.Equal((int)CancelReason.ContainerFailure, cancel.Reason);
        Assert.Equal(AgreementState.Failed, (await agent.Agreements.GetAsync(agreementId))!.State);
        Assert.Contains("drifted again", cancel.Message, StringComparison.Ordinal);
        Assert.Empty(await DockerProbe.NetworksOfAsync(docker, agreementId));
    }
}
