using System.Net;
using System.Net.Http.Json;
using Horizon.NodeAgent.Tests.Support;
using Horizon.Testing.Docker;
using Horizon.Testing.Registry;
using Xunit;

namespace Horizon.NodeAgent.Tests.Negotiation;

/// <summary>User input the agent could not apply to any container is refused at registration, with the reason.</summary>
[Collection(EngineTests.Name)]
public sealed class RegistrationUserInputTests(DockerFixture docker, RegistryFixture registry)
{
    [Fact]
    public async Task Register_WithUnusableUserInput_IsRefusedWith400NamingEachProblem_AndNotKept()
    {
        await using var bed = await NegotiationBed.StartAsync();
        await bed.StartAgentAsync(docker, registry.Server, register: false);

        using var response = await bed.AgentApi.PostAsJsonAsync("/node", new
        {
            id = NegotiationBed.NodeId,
            token = NegotiationBed.NodeToken,
            org = bed.Org,
            pattern = $"{bed.Org}/{NegotiationBed.PatternName}",
            userInput = new object[]
            {
                new { serviceOrgid = bed.Org, serviceUrl = "web", serviceVersionRange = "[2.0.0,1.x", inputs = new[] { new { name = "A", value = "1" } } },
                new { serviceOrgid = "", serviceUrl = "web", inputs = new[] { new { name = "", value = "1" } } },
            },
        });
        var body = await response.Content.ReadAsStringAsync();
        using var unregister = await bed.AgentApi.DeleteAsync("/node");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("userInput[0].serviceVersionRange '[2.0.0,1.x' is not a version range", body, StringComparison.Ordinal);
        Assert.Contains("userInput[1] needs serviceOrgid and serviceUrl", body, StringComparison.Ordinal);
        Assert.Contains("userInput[1] has an input without a name", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unregister.StatusCode);
    }
}
