using System.Net.Http.Json;
using System.Text.Json;
using Horizon.Agreements;
using Horizon.NodeAgent.Tests.Support;
using Horizon.NodeAgent.Workloads;
using Horizon.Testing.Docker;
using Horizon.Testing.Registry;
using Xunit;
using static Horizon.NodeAgent.Tests.Negotiation.NegotiationSteps;

namespace Horizon.NodeAgent.Tests.Negotiation;

/// <summary>
/// docs/upgrades.md, node side: a scripted agbot sends <c>update</c> for a running agreement over
/// real mailboxes; the node stages, switches or rolls back on the real engine and answers once.
/// </summary>
[Collection(EngineTests.Name)]
public sealed class UpgradeTests(DockerFixture docker, RegistryFixture registry)
{
    [Fact]
    public async Task Update_ToANewVersion_RunsItsDigest_RemovesTheOldContainer_AndIsAccepted()
    {
        await using var bed = await NegotiationBed.StartAsync();
        await bed.StartAgentAsync(docker, registry.Server);
        var oldImage = await Images.PublishAsync(registry.Server, $"upgrade-old-{docker.RunId}");
        var newImage = await Images.PublishVariantAsync(registry.Server, $"upgrade-new-{docker.RunId}", "2.0.0");
        var (agreementId, before) = await AgreeAsync(bed, docker, await bed.PublishServiceAsync("web", oldImage));
        var update = new UpdateAgreement { AgreementId = agreementId, Terms = bed.Terms(await bed.PublishServiceAsync("web", newImage, "2.0.0")) };

        await bed.SendToNodeAsync(update);
        var reply = await bed.ReceiveAsync<UpdateAgreementReply>(agreementId, TimeSpan.FromSeconds(90));
        var after = await RunningAsync(docker, agreementId);
        var all = await AllAsync(agreementId);
        using var stored = JsonDocument.Parse(await bed.AgentApi.GetStringAsync($"/agreements/{agreementId}"));
        var kinds = await EventKindsAsync(bed, agreementId);
        // The same update again: the terms are in force, so it is accepted and nothing moves.
        await bed.SendToNodeAsync(update);
        var repeat = await bed.ReceiveAsync<UpdateAgreementReply>(agreementId);
        var afterRepeat = await RunningAsync(docker, agreementId);
        await CancelAsync(bed, agreementId);
        await Images.ForgetAsync(docker, oldImage, newImage);

        Assert.True(reply.Accepted, reply.Message);
        Assert.Null(reply.Reason);
        var running = Assert.Single(after);
        Assert.NotEqual(before.Id, running.Id);
        Assert.Equal(newImage, running.Image);
        Assert.Equal("2.0.0", running.Labels[WorkloadLabels.ServiceVersion]);
        Assert.DoesNotContain(all, c => c.Id == before.Id);
        Assert.EndsWith("/web/2.0.0/" + NodeRuntimeInfo.CurrentArch(), stored.RootElement.GetProperty("service").GetString(), StringComparison.Ordinal);
        Assert.Equal("running", stored.RootElement.GetProperty("state").GetString());
        Assert.Equal(["update.received", "update.staged", "update.switching", "update.applied"],
            kinds.Where(k => k is "update.received" or "update.staged" or "update.switching" or "update.applied" or "update.failed").ToArray());
        Assert.True(repeat.Accepted);
        Assert.Equal(running.Id, Assert.Single(afterRepeat).Id);
    }

    [Fact]
    public async Task Update_ToAVersionThatDoesNotStart_BringsTheOldVersionBack_AndIsRefusedWith103()
    {
        await using var bed = await NegotiationBed.StartAsync();
        await bed.StartAgentAsync(docker, registry.Server);
        var image = await Images.PublishAsync(registry.Server, $"upgrade-broken-{docker.RunId}");
        var (agreementId, before) = await AgreeAsync(bed, docker, await bed.PublishServiceAsync("web", image));
        var broken = await bed.PublishServiceAsync("web", image, "2.0.0", ["/no/such/program"]);

        await bed.SendToNodeAsync(new UpdateAgreement { AgreementId = agreementId, Terms = bed.Terms(broken) });
        var reply = await bed.ReceiveAsync<UpdateAgreementReply>(agreementId, TimeSpan.FromSeconds(90));
        var after = await RunningAsync(docker, agreementId);
        var all = await AllAsync(agreementId);
        using var stored = JsonDocument.Parse(await bed.AgentApi.GetStringAsync($"/agreements/{agreementId}"));
        var kinds = await EventKindsAsync(bed, agreementId);
        await CancelAsync(bed, agreementId);
        await Images.ForgetAsync(docker, image);

        Assert.False(reply.Accepted);
        Assert.Equal((int)CancelReason.ContainerFailure, reply.Reason);
        Assert.Contains("would not start", reply.Message, StringComparison.Ordinal);
        var running = Assert.Single(after);
        Assert.Equal("1.0.0", running.Labels[WorkloadLabels.ServiceVersion]);
        Assert.Equal(before.Image, running.Image);
        Assert.Single(all);
        Assert.EndsWith("/web/1.0.0/" + NodeRuntimeInfo.CurrentArch(), stored.RootElement.GetProperty("service").GetString(), StringComparison.Ordinal);
        Assert.Equal("running", stored.RootElement.GetProperty("state").GetString());
        Assert.Contains("update.failed", kinds);
        Assert.Equal("update.rolled-back", kinds.Last(k => k.StartsWith("update.", StringComparison.Ordinal) && k != "update.reply.sent"));
    }

    [Fact]
    public async Task Update_WhoseContainerExitsRightAfterItsStart_IsRolledBackWith103()
    {
        await using var bed = await NegotiationBed.StartAsync();
        await bed.StartAgentAsync(docker, registry.Server);
        var image = await Images.PublishAsync(registry.Server, $"upgrade-exits-{docker.RunId}");
        var (agreementId, _) = await AgreeAsync(bed, docker, await bed.PublishServiceAsync("web", image));
        var exits = await bed.PublishServiceAsync("web", image, "2.0.0", ["sh", "-c", "exit 3"]);

        await bed.SendToNodeAsync(new UpdateAgreement { AgreementId = agreementId, Terms = bed.Terms(exits) });
        var reply = await bed.ReceiveAsync<UpdateAgreementReply>(agreementId, TimeSpan.FromSeconds(90));
        var after = await RunningAsync(docker, agreementId);
        await CancelAsync(bed, agreementId);
        await Images.ForgetAsync(docker, image);

        Assert.False(reply.Accepted);
        Assert.Equal((int)CancelReason.ContainerFailure, reply.Reason);
        Assert.Contains("exit code 3", reply.Message, StringComparison.Ordinal);
        Assert.Equal("1.0.0", Assert.Single(after).Labels[WorkloadLabels.ServiceVersion]);
    }

    [Fact]
    public async Task Update_WithABadSignature_OrAnImageTheRegistryLacks_IsRefused_AndTheSameContainerRunsOn()
    {
        await using var bed = await NegotiationBed.StartAsync();
        await bed.StartAgentAsync(docker, registry.Server);
        var image = await Images.PublishAsync(registry.Server, $"upgrade-refused-{docker.RunId}");
        var (agreementId, before) = await AgreeAsync(bed, docker, await bed.PublishServiceAsync("web", image));
        var signed = await bed.PublishServiceAsync("web", image, "2.0.0");
        var signature = Convert.FromBase64String(signed.DeploymentSignature);
        signature[^1] ^= 0x5a;
        var tampered = signed with { DeploymentSignature = Convert.ToBase64String(signature) };
        var missing = await bed.PublishServiceAsync("web", $"{registry.Server.Host}/upgrade-missing-{docker.RunId}@{Images.ForgedDigest()}", "3.0.0");

        await bed.SendToNodeAsync(new UpdateAgreement { AgreementId = agreementId, Terms = bed.Terms(tampered) });
        var badSignature = await bed.ReceiveAsync<UpdateAgreementReply>(agreementId);
        await bed.SendToNodeAsync(new UpdateAgreement { AgreementId = agreementId, Terms = bed.Terms(missing) });
        var unknownImage = await bed.ReceiveAsync<UpdateAgreementReply>(agreementId, TimeSpan.FromSeconds(90));
        var unknownAgreement = NewAgreementId();
        await bed.SendToNodeAsync(new UpdateAgreement { AgreementId = unknownAgreement, Terms = bed.Terms(signed) });
        var notHere = await bed.ReceiveAsync<UpdateAgreementReply>(unknownAgreement);
        var after = await RunningAsync(docker, agreementId);
        using var stored = JsonDocument.Parse(await bed.AgentApi.GetStringAsync($"/agreements/{agreementId}"));
        await CancelAsync(bed, agreementId);
        await Images.ForgetAsync(docker, image);

        Assert.False(badSignature.Accepted);
        Assert.Equal((int)CancelReason.ImageSignatureVerificationFailure, badSignature.Reason);
        Assert.False(unknownImage.Accepted);
        Assert.Equal((int)CancelReason.ImageFetchFailure, unknownImage.Reason);
        Assert.False(notHere.Accepted);
        Assert.Null(notHere.Reason);
        Assert.Contains(unknownAgreement, notHere.Message, StringComparison.Ordinal);
        Assert.Equal(before.Id, Assert.Single(after).Id);
        Assert.EndsWith("/web/1.0.0/" + NodeRuntimeInfo.CurrentArch(), stored.RootElement.GetProperty("service").GetString(), StringComparison.Ordinal);
    }

    private static async Task<List<string>> EventKindsAsync(NegotiationBed bed, string agreementId)
    {
        var events = await bed.AgentApi.GetFromJsonAsync<JsonElement>($"/eventlog?agreement={agreementId}");
        return [.. events.EnumerateArray().Select(e => e.GetProperty("kind").GetString()!)];
    }
}
