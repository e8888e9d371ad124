using System.Net;
using System.Text.Json;
using Horizon.Agreements;
using Horizon.NodeAgent.Tests.Support;
using Horizon.Testing.Docker;
using Horizon.Testing.Registry;
using Xunit;
using static Horizon.NodeAgent.Tests.Negotiation.NegotiationSteps;

namespace Horizon.NodeAgent.Tests.Negotiation;

/// <summary><c>hzn agreement cancel</c>: <c>DELETE /agreements/{id}</c> on the local API.</summary>
[Collection(EngineTests.Name)]
public sealed class UserCancelTests(DockerFixture docker, RegistryFixture registry)
{
    [Fact]
    public async Task DeleteAgreement_RemovesTheWorkload_AndTellsTheAgbotWith105()
    {
        await using var bed = await NegotiationBed.StartAsync();
        await bed.StartAgentAsync(docker, registry.Server);
        var image = await Images.PublishAsync(registry.Server, $"user-cancel-{docker.RunId}");
        var (agreementId, _) = await AgreeAsync(bed, docker, await bed.PublishServiceAsync("web", image));

        using var response = await bed.AgentApi.DeleteAsync($"/agreements/{agreementId}");
        var body = await response.Content.ReadAsStringAsync();
        var cancel = await bed.ReceiveAsync<CancelAgreement>(agreementId);
        var left = await AllAsync(agreementId);
        using var again = await bed.AgentApi.DeleteAsync($"/agreements/{agreementId}");
        await Images.ForgetAsync(docker, image);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var view = JsonDocument.Parse(body);
        Assert.Equal("terminated", view.RootElement.GetProperty("state").GetString());
        Assert.Equal(105, view.RootElement.GetProperty("reason").GetInt32());
        Assert.Equal((int)CancelReason.NodeUserRequested, cancel.Reason);
        Assert.Empty(left);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("already ended", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteAgreement_ForAnUnknownOrMalformedId_Is404Or400()
    {
        await using var bed = await NegotiationBed.StartAsync();
        await bed.StartAgentAsync(docker, registry.Server, register: false);

        using var unknown = await bed.AgentApi.DeleteAsync($"/agreements/{NewAgreementId()}");
        using var malformed = await bed.AgentApi.DeleteAsync("/agreements/not-an-agreement");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("no agreement", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }
}
