using System.Text.Json.Nodes;
using Horizon.EndToEnd.Tests.Support;

namespace Horizon.EndToEnd.Tests;

/// <summary>
/// An agbot serving another org's nodes, as an Open Horizon user sets it up (a public pattern,
/// <c>agbot addpattern … &lt;nodeOrg&gt;</c>) plus the node org's grant Horizon asks for: a node that
/// registers is pushed to the agbot like one of its own org, not found by a periodic pass.
/// </summary>
[Collection(EndToEndTests.Name)]
public sealed class CrossOrgServingTests(InstallationFixture fixture, ITestOutputHelper output)
{
    private HorizonInstallation Installation => fixture.Installation;

    [Fact]
    public async Task ANodeOfAnOrgServedAfterTheAgbotStarted_IsPushedToIt_WithoutWaitingForThePeriodicPass()
    {
        await using var serving = await Installation.CreateSiteAsync();
        await using var nodes = await Installation.CreateSiteAsync();
        await serving.Hzn.RunCheckedAsync(["exchange", "service", "publish", "-f", HelloEdgeSample.File("producer.service.definition.json"), "-r", serving.RegistryAuth]);
        await serving.Hzn.RunCheckedAsync(["exchange", "service", "publish", "-f", HelloEdgeSample.File("consumer.service.definition.json"), "-r", serving.RegistryAuth]);
        var pattern = Path.Combine(serving.Folder, "cross-org.pattern.json");
        await File.WriteAllTextAsync(pattern, new JsonObject
        {
            ["name"] = "cross-org",
            ["public"] = true,
            ["services"] = new JsonArray(new JsonObject
            {
                ["serviceUrl"] = "hello-consumer", ["serviceOrgid"] = serving.Org, ["serviceArch"] = "amd64",
                ["serviceVersions"] = new JsonArray(new JsonObject { ["version"] = "1.0.0" }),
            }),
            ["userInput"] = new JsonArray(new JsonObject
            {
                ["serviceOrgid"] = serving.Org, ["serviceUrl"] = "hello-producer", ["serviceVersionRange"] = "[0.0.0,INFINITY)",
                ["inputs"] = new JsonArray(new JsonObject { ["name"] = "HELLO_MESSAGE", ["value"] = "hello across orgs" }),
            }),
        }.ToJsonString());
        await serving.Hzn.RunCheckedAsync(["exchange", "pattern", "publish", "-f", pattern]);
        // Only a pushed change can find the node within this test: the feed poll and the rescan are far off.
        await serving.StartAgbotAsync(new Dictionary<string, string> { ["FeedPollInterval"] = "00:10:00", ["RescanInterval"] = "01:00:00" });

        // Served only now, after the agbot's credentials were issued.
        await serving.Hzn.RunCheckedAsync(["exchange", "agbot", "addpattern", serving.AgbotId, serving.Org, "cross-org", nodes.Org]);
        var granted = await nodes.Hzn.RunCheckedAsync(["exchange", "org", "grantagbot", nodes.Org, $"{serving.Org}/{serving.AgbotId}"]);
        output.WriteLine(granted);
        Assert.Contains($"{serving.Org}/{serving.AgbotId}", await nodes.Hzn.RunCheckedAsync(["exchange", "org", "listagbotgrants", nodes.Org]), StringComparison.Ordinal);
        await nodes.StartNodeAgentAsync();

        var register = await nodes.Hzn.RunAsync(["register", "-n", $"{nodes.NodeId}:{nodes.NodeToken}", "-p", $"{serving.Org}/cross-org", "--wait", "-t", "120"],
            timeout: TimeSpan.FromSeconds(150));

        Assert.True(register.Succeeded,
            $"hzn register exited {register.ExitCode}:\n{register.StandardOutput}\n{register.StandardError}\n{serving.Diagnostics()}\n{nodes.Diagnostics()}");
        output.WriteLine(register.StandardOutput);
        var agreement = Assert.Single(await serving.AgbotAgreementsAsync());
        Assert.Equal("active", agreement.GetProperty("status").GetString());
    }
}
