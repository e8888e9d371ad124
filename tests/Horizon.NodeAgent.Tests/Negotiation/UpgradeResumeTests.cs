using Horizon.Agreements;
using Horizon.NodeAgent.State;
using Horizon.NodeAgent.Tests.Support;
using Horizon.NodeAgent.Workloads;
using Horizon.Testing.Docker;
using Horizon.Testing.Registry;
using Xunit;
using static Horizon.NodeAgent.Tests.Negotiation.NegotiationSteps;

namespace Horizon.NodeAgent.Tests.Negotiation;

/// <summary>
/// An agent that died in the middle of an update: the steps it persisted decide what the next
/// start does, and the agbot still gets its one reply.
/// </summary>
[Collection(EngineTests.Name)]
public sealed class UpgradeResumeTests(DockerFixture docker, RegistryFixture registry)
{
    [Fact]
    public async Task AgentStoppedMidSwitch_StartsTheOldVersionAgain_RemovesTheHalfStartedNewOne_AndAnswers116()
    {
        await using var bed = await NegotiationBed.StartAsync();
        await bed.StartAgentAsync(docker, registry.Server);
        var image = await Images.PublishAsync(registry.Server, $"resume-switch-{docker.RunId}");
        var oldService = await bed.PublishServiceAsync("web", image);
        var (agreementId, before) = await AgreeAsync(bed, docker, oldService);
        var newService = await bed.PublishServiceAsync("web", image, "2.0.0");

        await bed.StopAgentAsync();
        // What a crash after "switching" was persisted leaves behind: the old container gone, a new one half-made.
        await RecordUpdateAsync(bed, agreementId, bed.Terms(oldService), bed.Terms(newService), UpgradeStep.Switching);
        await docker.Cli.RunCheckedAsync(["rm", "-f", before.Id]);
        var halfMade = await docker.Cli.RunCheckedAsync(["run", "-d", "--label", WorkloadLabels.ManagedFilter, "--label", $"{WorkloadLabels.Agreement}={agreementId}",
            "--label", docker.RunLabel, "--label", $"{WorkloadLabels.ServiceVersion}=2.0.0", image, "sleep", "3600"]);
        await bed.StartAgentAsync(docker, registry.Server, register: false);
        var reply = await bed.ReceiveAsync<UpdateAgreementReply>(agreementId, TimeSpan.FromSeconds(90));
        var after = await RunningAsync(docker, agreementId);
        var all = await AllAsync(agreementId);
        await CancelAsync(bed, agreementId);
        await Images.ForgetAsync(docker, image);

        Assert.False(reply.Accepted);
        Assert.Equal((int)CancelReason.NodeShutdown, reply.Reason);
        Assert.Equal("1.0.0", Assert.Single(after).Labels[WorkloadLabels.ServiceVersion]);
        Assert.DoesNotContain(all, c => c.Id.StartsWith(halfMade.Trim(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task AgentStoppedWhileStaging_StagesAgainAfterTheRestart_AndAppliesTheUpdate()
    {
        await using var bed = await NegotiationBed.StartAsync();
        await bed.StartAgentAsync(docker, registry.Server);
        var oldImage = await Images.PublishAsync(registry.Server, $"resume-stage-old-{docker.RunId}");
        var newImage = await Images.PublishVariantAsync(registry.Server, $"resume-stage-new-{docker.RunId}", "2.0.0");
        var oldService = await bed.PublishServiceAsync("web", oldImage);
        var (agreementId, before) = await AgreeAsync(bed, docker, oldService);
        var newService = await bed.PublishServiceAsync("web", newImage, "2.0.0");

        await bed.StopAgentAsync();
        await RecordUpdateAsync(bed, agreementId, bed.Terms(oldService), bed.Terms(newService), UpgradeStep.Staging);
        await bed.StartAgentAsync(docker, registry.Server, register: false);
        var reply = await bed.ReceiveAsync<UpdateAgreementReply>(agreementId, TimeSpan.FromSeconds(90));
        var after = await RunningAsync(docker, agreementId);
        await CancelAsync(bed, agreementId);
        await Images.ForgetAsync(docker, oldImage, newImage);

        Assert.True(reply.Accepted, reply.Message);
        var running = Assert.Single(after);
        Assert.NotEqual(before.Id, running.Id);
        Assert.Equal(newImage, running.Image);
    }

    /// <summary>Writes the update's row as the agent persists it before taking <paramref name="step"/>.</summary>
    private static async Task RecordUpdateAsync(NegotiationBed bed, string agreementId, AgreementTerms oldTerms, AgreementTerms newTerms, UpgradeStep step)
    {
        var database = new AgentDatabase(Path.Combine(bed.AgentStateDirectory, "agent.db"));
        await database.MigrateAsync();
        var store = new UpgradeStore(database, TimeProvider.System);
        await store.BeginAsync(agreementId, oldTerms.Agbot, oldTerms, newTerms);
        if (step != UpgradeStep.Staging)
        {
            await store.SetStepAsync(agreementId, step);
        }
    }
}
