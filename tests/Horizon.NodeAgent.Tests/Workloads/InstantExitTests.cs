using Horizon.Agreements;
using Horizon.NodeAgent.State;
using Horizon.NodeAgent.Tests.Support;
using Horizon.Testing;
using Horizon.Testing.Docker;
using Horizon.Testing.Registry;
using Xunit;

namespace Horizon.NodeAgent.Tests.Workloads;

/// <summary>
/// A container that exits the moment it starts sends its <c>die</c> event while the start call is
/// still answering; the supervisor must still see it, restart it, and give up with 103.
/// </summary>
[Collection(EngineTests.Name)]
public sealed class InstantExitTests(DockerFixture docker, RegistryFixture registry) : IAsyncLifetime, IDisposable
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
        await using var agent = new AgentHarness(docker, registry, _state.Path);
        await agent.StartSupervisionAsync();
        _image = await Images.PublishAsync(registry.Server, $"instant-{Guid.NewGuid():N}"[..24]);
        var service = Services.Service("instant.test", Services.Deployment(("quitter", _image, ["sh", "-c", "exit 1"])));
        var agreementId = AgreementId.New();
        var terms = Services.Terms(service) with { Retries = 2, RetryDurations = 120 };

        Assert.True((await agent.Lifecycle.StartAsync(agreementId, terms, agent.Credentials)).Succeeded);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var failure = await agent.Lifecycle.Failures.ReadAsync(timeout.Token);

        Assert.Equal((agreementId, CancelReason.ContainerFailure), (failure.AgreementId, failure.Reason));
        Assert.Equal(AgreementState.Failed, agent.Agreements.Get(agreementId)!.State);
        Assert.Equal(2, agent.EventLog.Query(agreementId).Count(e => e.Kind == "container.restarted"));
        Assert.Contains(agent.EventLog.Query(agreementId), e => e.Kind == "container.died" && e.Message.Contains("exit code 1", StringComparison.Ordinal));
        Assert.Empty(await DockerProbe.ContainersOfAsync(docker, agreementId));
        Assert.Empty(await DockerProbe.NetworksOfAsync(docker, agreementId));
    }
}
