using System.Net.Http.Json;
using Horizon.Agreements;
using Horizon.NodeAgent.Api;
using Horizon.NodeAgent.Hosting;
using Horizon.NodeAgent.Tests.Support;
using Horizon.Testing.Docker;
using Horizon.Testing.Registry;
using Xunit;
using static Horizon.NodeAgent.Tests.Negotiation.NegotiationSteps;

namespace Horizon.NodeAgent.Tests.Negotiation;

/// <summary>
/// The real agent process SIGKILLed between two persisted steps of a hand-off with the agbot
/// (parked there by <see cref="ParkingPoints"/>): after the restart the node runs exactly one
/// agreement, or the agbot receives the node's cancel. Three boundaries only, each a process
/// start and kill, so the suite stays short.
/// </summary>
[Collection(EngineTests.Name)]
public sealed class CrashPointTests(DockerFixture docker, RegistryFixture registry)
{
    [Theory]
    [InlineData(ParkingPoints.AgreementPersisted)]
    [InlineData(ParkingPoints.WorkloadStarting)]
    public async Task AgentKilledAfterTheReplyAck_RunsExactlyOneAgreementAfterRestart(string step)
    {
        await using var bed = await NegotiationBed.StartAsync();
        var image = await Images.PublishAsync(registry.Server, $"crash-{step.Replace('.', '-')}-{docker.RunId}");
        var service = await bed.PublishServiceAsync("web", image);
        await bed.StartAgentProcessAsync(docker, registry.Server, parkAt: step);
        var agreementId = NewAgreementId();

        await bed.SendToNodeAsync(new Proposal { AgreementId = agreementId, Terms = bed.Terms(service) });
        var reply = await bed.ReceiveAsync<ProposalReply>(agreementId);
        Assert.True(reply.Decision, reply.Message);
        await bed.SendToNodeAsync(new ReplyAck { AgreementId = agreementId, Proceed = true });
        await bed.WaitParkedAsync(step);
        // The mailbox records a message handled as soon as its handler returns; give it that moment,
        // so the kill lands after the replyack was acknowledged wherever the step allows it.
        await Task.Delay(TimeSpan.FromSeconds(1));
        await bed.KillAgentProcessAsync();
        await bed.StartAgentProcessAsync(docker, registry.Server, register: false);

        var running = await WaitForAsync(() => RunningAsync(docker, agreementId), c => c.Count == 1, "the agreement's container to run after the restart");
        var agreements = await bed.AgentApi.GetFromJsonAsync<List<AgreementView>>("/agreements");
        await bed.SendToNodeAsync(new VerifyAgreement { AgreementId = agreementId });
        var verified = await bed.ReceiveAsync<VerifyAgreementReply>(agreementId);
        await CancelAsync(bed, agreementId);
        await Images.ForgetAsync(docker, image);

        Assert.Single(running);
        Assert.Equal("running", Assert.Single(agreements!, a => a.State != "terminated").State);
        Assert.True(verified.Exists);
    }

    [Fact]
    public async Task AgentKilledBeforeItsCancelWasSent_SendsTheCancelAfterRestart()
    {
        await using var bed = await NegotiationBed.StartAsync();
        // Signed and accepted, but its image is in no registry: the start fails and the node owes the agbot a cancel.
        var service = await bed.PublishServiceAsync("web", $"{registry.Server.Host}/never/pushed@{Images.ForgedDigest()}");
        await bed.StartAgentProcessAsync(docker, registry.Server, parkAt: ParkingPoints.CancelPersisted);
        var agreementId = NewAgreementId();

        await bed.SendToNodeAsync(new Proposal { AgreementId = agreementId, Terms = bed.Terms(service) });
        var reply = await bed.ReceiveAsync<ProposalReply>(agreementId);
        Assert.True(reply.Decision, reply.Message);
        await bed.SendToNodeAsync(new ReplyAck { AgreementId = agreementId, Proceed = true });
        await bed.WaitParkedAsync(ParkingPoints.CancelPersisted);
        await bed.KillAgentProcessAsync();
        await bed.StartAgentProcessAsync(docker, registry.Server, register: false);

        var cancel = await bed.ReceiveAsync<CancelAgreement>(agreementId, TimeSpan.FromSeconds(60));

        Assert.InRange(cancel.Reason, 112, 114);
        Assert.Empty(await AllAsync(agreementId));
    }
}
