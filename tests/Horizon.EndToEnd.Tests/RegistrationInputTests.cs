using System.Text.Json;
using Horizon.EndToEnd.Tests.Support;

namespace Horizon.EndToEnd.Tests;

/// <summary>Bad input at process level: what a node owner sees and what is left in the exchange.</summary>
[Collection(EndToEndTests.Name)]
public sealed class RegistrationInputTests(InstallationFixture fixture)
{
    [Fact]
    public async Task Register_WithAWrongNodeToken_FailsWithAnUnauthorizedErrorAndLeavesTheNodeUnregistered()
    {
        await using var site = await fixture.Installation.CreateSiteAsync();
        await site.StartNodeAgentAsync();

        var register = await site.Hzn.RunAsync(["register", "-n", $"{site.NodeId}:not-the-token", "-p", HelloEdgeSample.Pattern,
            "-f", HelloEdgeSample.File("userinput.json"), "--wait", "--timeout", "20"]);

        Assert.True(register.ExitCode != 0, $"hzn register with a wrong token exited 0:\n{register.StandardOutput}\n{site.Diagnostics()}");
        // The message says who refused and why, so the owner knows to check the token.
        Assert.Contains("exchange refused", register.StandardError, StringComparison.Ordinal);
        Assert.Contains("401", register.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("registered", register.StandardOutput, StringComparison.Ordinal);
        // The record the owner created is untouched: no pattern, no keys of the agent.
        var shown = await site.Hzn.RunCheckedAsync(["exchange", "node", "list", site.NodeId, "--json"]);
        using var json = JsonDocument.Parse(shown);
        // Open Horizon's shape for one node: an object from org/id to the node.
        var node = Assert.Single(json.RootElement.EnumerateObject()).Value;
        Assert.True(string.IsNullOrEmpty(node.TryGetProperty("pattern", out var p) ? p.GetString() : null), shown);
        Assert.True(string.IsNullOrEmpty(node.TryGetProperty("publicKey", out var k) ? k.GetString() : null), shown);
        // And the agent does not consider itself registered.
        var agentNode = await site.Hzn.RunAsync(["node", "list", "--json"]);
        Assert.DoesNotContain(HelloEdgeSample.Pattern, agentNode.StandardOutput, StringComparison.Ordinal);
    }
}
