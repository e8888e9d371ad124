using Horizon.Agreements;
using Horizon.NodeAgent.Tests.Support;
using Horizon.Testing.Docker;
using Horizon.Testing.Registry;
using Xunit;
using static Horizon.NodeAgent.Tests.Negotiation.NegotiationSteps;

namespace Horizon.NodeAgent.Tests.Negotiation;

/// <summary><c>verify</c> is answered from the agreements the node persisted, never from proposals it merely accepted.</summary>
[Collection(EngineTests.Name)]
public sealed class VerifyTests(DockerFixture docker, RegistryFixture registry)
{
    [Fact]
    public async Task Verify_OfAnAcceptedProposalWithoutReplyAck_AnswersItDoesNotExist()
    {
        await using var bed = await NegotiationBed.StartAsync();
        await bed.StartAgentAsync(docker, registry.Server);
        var service = await bed.PublishServiceAsync("web", $"{registry.Server.Host}/never/pulled@{Images.ForgedDigest()}");
        var agreementId = NewAgreementId();

        await bed.SendToNodeAsync(new Proposal { AgreementId = agreementId, Terms = bed.Terms(service) });
        var reply = await bed.ReceiveAsync<ProposalReply>(agreementId);
        await bed.SendToNodeAsync(new VerifyAgreement { AgreementId = agreementId });
        var verified = await bed.ReceiveAsync<VerifyAgreementReply>(agreementId);

        Assert.True(reply.Decision, reply.Message);
        Assert.False(verified.Exists);
    }
}
