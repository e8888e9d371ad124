using Horizon.Agreements;
using Horizon.NodeAgent.State;
using Horizon.NodeAgent.Tests.Support;
using Horizon.Testing;
using Horizon.Testing.Docker;
using Horizon.Testing.Registry;
using Xunit;

namespace Horizon.NodeAgent.Tests.Workloads;

/// <summary>
/// Containers the supervisor cannot simply restart. One that exits the moment it starts sends its
/// <c>die</c> event while the start call is still answering; the supervisor must still see it,
/// restart it, and give up with 103. One removed behind the agent's back (<c>docker rm -f</c>, or
/// another agent on the same engine tearing down what it thought was its own) can never be
/// restarted: its agreement must fail and be reported, not stay "running" with nothing behind it.
/// </summary>
[Collection(EngineTests.Name)]
public sealed class VanishingContainerTests(DockerFixture docker, RegistryFixture registry) : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _state = new("hzn-agent");
    private string? _image;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_image is not null)
        {
            await Images.ForgetAsync(docker, _image);
        }
    }

    public void Dispose() => _state.Dispose();

    [Fact]
    public async Task ContainerExitingAtOnce_IsRestarted_AndPastItsRetriesTheAgreementFailsWith103()
    {
        await using var agent = await AgentHarness.CreateAsync(docker, registry, _state.Path);
        await agent.StartSupervisionAsync();
        _image = await Images.PublishAsync(registry.Server, $"instant-{Guid.NewGuid():N}"[..24]);
        var service = Services.Service("instant.test", Services.Deployment(("quitter", _image, ["sh", "-c", "exit 1"])));
        var agreementId = AgreementId.New();
        var terms = Services.Terms(service) with { Retries = 2, RetryDurations = 120 };

        Assert.True((await agent.Lifecycle.StartAsync(agreementId, terms, agent.Credentials)).Succeeded);
        var failure = await agent.OwedCancelAsync(agreementId, TimeSpan.FromSeconds(30));

        Assert.Equal((agreementId, (int)CancelReason.ContainerFailure), (failure.AgreementId, failure.Reason));
        Assert.Equal(AgreementState.Failed, (await agent.Agreements.GetAsync(agreementId))!.State);
        Assert.Equal(2, (await agent.EventLog.QueryAsync(agreementId)).Count(e => e.Kind == "container.restarted"));
        Assert.Contains((await agent.EventLog.QueryAsync(agreementId)), e => e.Kind == "container.died" && e.Message.Contains("exit code 1", StringComparison.Ordinal));
        Assert.Empty(await DockerProbe.ContainersOfAsync(docker, agreementId));
        Assert.Empty(await DockerProbe.NetworksOfAsync(docker, agreementId));
    }

    [Fact]
    public async Task ContainerRemovedFromTheEngine_FailsTheAgreementWith103_AndLeavesNothing()
    {
        await using var agent = await AgentHarness.CreateAsync(docker, registry, _state.Path);
        await agent.StartSupervisionAsync();
        _image = await Images.PublishAsync(registry.Server, $"removed-{Guid.NewGuid():N}"[..24]);
        var service = Services.Service("removed.test", Services.Deployment(("sleeper", _image, Services.Sleeper())));
        var agreementId = AgreementId.New();
        var terms = Services.Terms(service) with { Retries = 3, RetryDurations = 120 };
        Assert.True((await agent.Lifecycle.StartAsync(agreementId, terms, agent.Credentials)).Succeeded);
        var container = Assert.Single(await DockerProbe.ContainersOfAsync(docker, agreementId));

        await docker.Cli.RunCheckedAsync(["rm", "-f", container]);

        var failure = await agent.OwedCancelAsync(agreementId, TimeSpan.FromSeconds(30));
        Assert.Equal((agreementId, (int)CancelReason.ContainerFailure), (failure.AgreementId, failure.Reason));
        Assert.Contains("removed from the engine", failure.Message, StringComparison.Ordinal);
        Assert.Equal(AgreementState.Failed, (await agent.Agreements.GetAsync(agreementId))!.State);
        Assert.Empty(await DockerProbe.NetworksOfAsync(docker, agreementId));
    }
}
