using Horizon.Agbot.Tests.Support;
using Horizon.Agreements;
using Horizon.Exchange.Client;
using Xunit;

namespace Horizon.Agbot.Tests.Integration;

/// <summary>
/// Open Horizon's <c>hzn exchange agbot adddeploymentpol &lt;agbot&gt; &lt;org&gt;</c> serves every
/// deployment policy of the org (its default <c>*</c>), those published later included.
/// </summary>
public sealed class ServeEveryPolicyTests
{
    [Fact]
    public async Task ServedStar_ServesADeploymentPolicyPublishedAfterTheAgbotStarted()
    {
        await using var bed = await AgbotTestBed.StartAsync();
        await bed.OrgAdmin.AddAgbotBusinessPolicyAsync(bed.Org, AgbotTestBed.AgbotId,
            new AgbotBusinessPolicy { BusinessPolOrgid = bed.Org, BusinessPol = "*", NodeOrgid = bed.Org });
        await bed.StartAgbotAsync();
        await bed.User.PutDefinitionJsonAsync(ExchangeDefinitionKind.DeploymentPolicy, bed.Org, "web-on-testers", $$"""
            {"label":"web where purpose is test",
             "service":{"name":"web","org":"{{bed.Org}}","arch":"amd64","serviceVersions":[{"version":"1.0.0"}]},
             "constraints":["purpose == test"]}
            """);
        var node = await ScriptedNode.StartAsync(bed, "node1");
        bed.Own(node);

        await node.RegisterAsync(bed, pattern: "");
        await node.Exchange.PutNodePolicyJsonAsync(bed.Org, "node1", """{"properties":[{"name":"purpose","value":"test"}]}""");

        var proposal = await node.NextAsync<Proposal>(TimeSpan.FromSeconds(30));
        Assert.Equal(("web", "1.0.0"), (proposal.Terms.Service.Url, proposal.Terms.Service.Version));
        Assert.True(string.IsNullOrEmpty(proposal.Terms.Pattern), $"a policy agreement names no pattern, not {proposal.Terms.Pattern}");
    }
}
