using System.Security.Cryptography;
using Horizon.Agreements;
using Horizon.NodeAgent.Tests.Support;
using Horizon.NodeAgent.Workloads;
using Horizon.Testing.Docker;
using Horizon.Testing.Registry;
using Xunit;

namespace Horizon.NodeAgent.Tests.Negotiation;

/// <summary>
/// The node agent negotiating with a scripted agbot over real NATS mailboxes, against a real
/// exchange holding the publisher's key, and running the accepted workload on the real engine.
/// </summary>
[Collection(EngineTests.Name)]
public sealed class NegotiationTests(DockerFixture docker, RegistryFixture registry)
{
    private static string NewAgreementId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task Proposal_WithTamperedSignature_IsDeclinedWith115AndStartsNothing()
    {
        await using var bed = await NegotiationBed.StartAsync();
        await bed.StartAgentAsync(docker, registry.Server);
        var service = await bed.PublishServiceAsync("web", $"{registry.Server.Host}/never/pulled@{Images.ForgedDigest()}");
        var signature = Convert.FromBase64String(service.DeploymentSignature);
        signature[^1] ^= 0x5a;
        var tampered = service with { DeploymentSignature = Convert.ToBase64String(signature) };
        var agreementId = NewAgreementId();

        await bed.SendToNodeAsync(new Proposal { AgreementId = agreementId, Terms = bed.Terms(tampered) });
        var reply = await bed.ReceiveAsync<ProposalReply>(agreementId);
        // A replyack for a declined proposal must not start anything either.
        await bed.SendToNodeAsync(new ReplyAck { AgreementId = agreementId, Proceed = true });
        var verify = NewVerify(agreementId);
        await bed.SendToNodeAsync(verify);
        var exists = await bed.ReceiveAsync<VerifyAgreementReply>(agreementId);

        Assert.False(reply.Decision);
        Assert.Equal((int)CancelReason.ImageSignatureVerificationFailure, reply.Reason);
        Assert.False(exists.Exists);
        using var client = TestEngine.Create();
        Assert.Empty(await client.ListContainersAsync([$"{WorkloadLabels.Agreement}={agreementId}"]));
    }

    [Fact]
    public async Task Proposal_WithValidSignature_IsAccepted_AndReplyAckStartsTheContainer()
    {
        await using var bed = await NegotiationBed.StartAsync();
        await bed.StartAgentAsync(docker, registry.Server);
        var image = await Images.PublishAsync(registry.Server, $"negotiation-{docker.RunId}");
        var service = await bed.PublishServiceAsync("web", image);
        var agreementId = NewAgreementId();

        await bed.SendToNodeAsync(new Proposal { AgreementId = agreementId, Terms = bed.Terms(service) });
        var reply = await bed.ReceiveAsync<ProposalReply>(agreementId);
        Assert.True(reply.Decision, reply.Message);

        await bed.SendToNodeAsync(new ReplyAck { AgreementId = agreementId, Proceed = true });
        await bed.SendToNodeAsync(new ReplyAck { AgreementId = agreementId, Proceed = true });
        using var client = TestEngine.Create();
        var running = await WaitForAsync(async () =>
            (await client.ListContainersAsync([$"{WorkloadLabels.Agreement}={agreementId}", docker.RunLabel])).Where(c => c.State == "running").ToList(),
            containers => containers.Count == 1, "the agreement's container to run");
        await bed.SendToNodeAsync(NewVerify(agreementId));
        var exists = await bed.ReceiveAsync<VerifyAgreementReply>(agreementId);
        // A node writes no status before it has something to report: until then the exchange holds none.
        var status = await WaitForAsync(() => StatusOrEmptyAsync(bed),
            s => s.Services?.Any(x => x.AgreementId == agreementId && x.ConfigState == "running") == true, "the node status to report the agreement running");
        var node = await bed.Exchange.Root.GetNodeAsync(bed.Org, NegotiationBed.NodeId);

        await bed.SendToNodeAsync(new CancelAgreement { AgreementId = agreementId, Reason = (int)CancelReason.AgbotRequested });
        var gone = await WaitForAsync(async () => await client.ListContainersAsync([$"{WorkloadLabels.Agreement}={agreementId}"]),
            containers => containers.Count == 0, "the cancelled agreement's container to be removed");
        await Images.ForgetAsync(docker, image);

        Assert.Single(running);
        Assert.True(exists.Exists);
        Assert.Equal("web", Assert.Single(status.Services!).ServiceUrl);
        Assert.False(string.IsNullOrEmpty(node.LastHeartbeat));
        Assert.Empty(gone);
    }

    [Fact]
    public async Task Unregister_DeletesTheNodeFromTheExchange()
    {
        await using var bed = await NegotiationBed.StartAsync();
        await bed.StartAgentAsync(docker, registry.Server);
        var registered = await bed.Exchange.Root.GetNodeAsync(bed.Org, NegotiationBed.NodeId);

        using var response = await bed.AgentApi.DeleteAsync("/node");
        using var again = await bed.AgentApi.DeleteAsync("/node");

        Assert.False(string.IsNullOrEmpty(registered.PublicKey));
        Assert.Equal($"{bed.Org}/{NegotiationBed.PatternName}", registered.Pattern);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal(System.Net.HttpStatusCode.NotFound, again.StatusCode);
        await Assert.ThrowsAsync<Horizon.Exchange.Client.ExchangeNotFoundException>(() => bed.Exchange.Root.GetNodeAsync(bed.Org, NegotiationBed.NodeId));
    }

    [Fact]
    public async Task ReplyAck_ForAnImageTheRegistryLacks_SendsTheAgbotACancelWith113()
    {
        await using var bed = await NegotiationBed.StartAsync();
        await bed.StartAgentAsync(docker, registry.Server);
        var service = await bed.PublishServiceAsync("web", $"{registry.Server.Host}/negotiation-missing-{docker.RunId}@{Images.ForgedDigest()}");
        var agreementId = NewAgreementId();

        await bed.SendToNodeAsync(new Proposal { AgreementId = agreementId, Terms = bed.Terms(service) });
        var reply = await bed.ReceiveAsync<ProposalReply>(agreementId);
        await bed.SendToNodeAsync(new ReplyAck { AgreementId = agreementId, Proceed = true });
        var cancel = await bed.ReceiveAsync<CancelAgreement>(agreementId, TimeSpan.FromSeconds(60));

        Assert.True(reply.Decision, reply.Message);
        Assert.Equal((int)CancelReason.ImageFetchFailure, cancel.Reason);
        using var client = TestEngine.Create();
        Assert.Empty(await client.ListContainersAsync([$"{WorkloadLabels.Agreement}={agreementId}"]));
    }

    [Fact]
    public async Task Register_ForAnotherNodeOrWithoutToken_IsRefusedWith400()
    {
        await using var bed = await NegotiationBed.StartAsync();
        await bed.StartAgentAsync(docker, registry.Server, register: false);

        using var otherNode = await bed.RegisterAsync("node2", NegotiationBed.NodeToken);
        using var noToken = await bed.RegisterAsync(NegotiationBed.NodeId, "");
        using var malformed = await bed.AgentApi.PostAsync("/node", new StringContent("{\"id\":", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, otherNode.StatusCode);
        Assert.Contains("node2", await otherNode.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Contains("token is required", await noToken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, malformed.StatusCode);
    }

    [Fact]
    public async Task Register_WithAWrongToken_IsAnswered401AndNotKept()
    {
        await using var bed = await NegotiationBed.StartAsync();
        await bed.StartAgentAsync(docker, registry.Server, register: false);

        using var response = await bed.RegisterAsync(NegotiationBed.NodeId, "not-the-token");
        using var unregister = await bed.AgentApi.DeleteAsync("/node");
        var node = await bed.Exchange.Root.GetNodeAsync(bed.Org, NegotiationBed.NodeId);

        // 401, not 502: the exchange works, it refused the caller's token (hzn exits 3 on this).
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("the exchange refused the node's credentials (401)", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unregister.StatusCode);
        Assert.True(string.IsNullOrEmpty(node.PublicKey));
    }

    [Fact]
    public async Task NatsOutage_LeavesTheWorkloadRunning_AndTheNodeAnswersOnceNatsIsBack()
    {
        await using var bed = await NegotiationBed.StartAsync();
        await bed.StartAgentAsync(docker, registry.Server);
        var image = await Images.PublishAsync(registry.Server, $"negotiation-outage-{docker.RunId}");
        var service = await bed.PublishServiceAsync("web", image);
        var agreementId = NewAgreementId();
        await bed.SendToNodeAsync(new Proposal { AgreementId = agreementId, Terms = bed.Terms(service) });
        Assert.True((await bed.ReceiveAsync<ProposalReply>(agreementId)).Decision);
        await bed.SendToNodeAsync(new ReplyAck { AgreementId = agreementId, Proceed = true });
        using var client = TestEngine.Create();
        string[] labels = [$"{WorkloadLabels.Agreement}={agreementId}", docker.RunLabel];
        var before = await WaitForAsync(async () => (await client.ListContainersAsync(labels)).Where(c => c.State == "running").ToList(),
            containers => containers.Count == 1, "the agreement's container to run");

        await bed.Nats.StopAsync(graceful: false);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var during = (await client.ListContainersAsync(labels)).Where(c => c.State == "running").ToList();
        await bed.Nats.StartAgainAsync();
        var exists = await WaitForAsync(async () =>
        {
            try
            {
                await bed.SendToNodeAsync(NewVerify(agreementId));
                return await bed.ReceiveAsync<VerifyAgreementReply>(agreementId, TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (e is OperationCanceledException or TimeoutException or Horizon.Nats.NatsException)
            {
                return null;
            }
        }, reply => reply is not null, "the node to answer a verify after NATS came back");
        await bed.SendToNodeAsync(new CancelAgreement { AgreementId = agreementId, Reason = (int)CancelReason.AgbotRequested });
        await WaitForAsync(async () => await client.ListContainersAsync(labels), containers => containers.Count == 0, "the teardown");
        await Images.ForgetAsync(docker, image);

        Assert.Equal(before.Single().Id, Assert.Single(during).Id);
        Assert.True(exists!.Exists);
    }

    [Fact]
    public async Task AcceptedProposal_SurvivesAnAgentRestart_AndItsReplyAckStartsTheWorkloadWithoutRegisteringAgain()
    {
        await using var bed = await NegotiationBed.StartAsync();
        await bed.StartAgentAsync(docker, registry.Server);
        var image = await Images.PublishAsync(registry.Server, $"negotiation-restart-{docker.RunId}");
        var service = await bed.PublishServiceAsync("web", image);
        var agreementId = NewAgreementId();
        await bed.SendToNodeAsync(new Proposal { AgreementId = agreementId, Terms = bed.Terms(service) });
        var reply = await bed.ReceiveAsync<ProposalReply>(agreementId);

        await bed.StopAgentAsync();
        await bed.SendToNodeAsync(new ReplyAck { AgreementId = agreementId, Proceed = true });
        await bed.StartAgentAsync(docker, registry.Server, register: false);
        using var client = TestEngine.Create();
        string[] labels = [$"{WorkloadLabels.Agreement}={agreementId}", docker.RunLabel];
        var running = await WaitForAsync(async () => (await client.ListContainersAsync(labels)).Where(c => c.State == "running").ToList(),
            containers => containers.Count == 1, "the agreement's container to run after the restart");
        await bed.SendToNodeAsync(new CancelAgreement { AgreementId = agreementId, Reason = (int)CancelReason.AgbotRequested });
        await WaitForAsync(async () => await client.ListContainersAsync(labels), containers => containers.Count == 0, "the teardown");
        await Images.ForgetAsync(docker, image);

        Assert.True(reply.Decision, reply.Message);
        Assert.Single(running);
    }

    [Fact]
    public async Task Registration_WithoutAgreements_Heartbeats_ButWritesNoEmptyStatus()
    {
        await using var bed = await NegotiationBed.StartAsync();
        await bed.StartAgentAsync(docker, registry.Server);

        var node = await WaitForAsync(() => bed.Exchange.Root.GetNodeAsync(bed.Org, NegotiationBed.NodeId),
            n => !string.IsNullOrEmpty(n.LastHeartbeat), "the first heartbeat");

        Assert.False(string.IsNullOrEmpty(node.LastHeartbeat));
        await Assert.ThrowsAsync<Horizon.Exchange.Client.ExchangeNotFoundException>(() => bed.Exchange.Root.GetNodeStatusAsync(bed.Org, NegotiationBed.NodeId));
    }

    private static async Task<Horizon.Exchange.Client.NodeStatus> StatusOrEmptyAsync(NegotiationBed bed)
    {
        try
        {
            return await bed.Exchange.Root.GetNodeStatusAsync(bed.Org, NegotiationBed.NodeId);
        }
        catch (Horizon.Exchange.Client.ExchangeNotFoundException)
        {
            return new Horizon.Exchange.Client.NodeStatus();
        }
    }

    private static VerifyAgreement NewVerify(string agreementId) => new() { AgreementId = agreementId };

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var value = await probe();
        while (!done(value))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited 60 s for {what}");
            }
            await Task.Delay(100);
            value = await probe();
        }
        return value;
    }
}
