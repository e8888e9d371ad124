using System.Text.Json;
using Horizon.EndToEnd.Tests.Support;

namespace Horizon.EndToEnd.Tests;

/// <summary>The hello-edge sample from publish to running containers and back, driven with hzn like a user.</summary>
[Collection(EndToEndTests.Name)]
public sealed class HelloEdgeTests(InstallationFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private HorizonInstallation Installation => fixture.Installation;

    [Fact]
    public async Task Register_ToHelloEdge_RunsConsumerThatReadsTheProducerByNameAndNothingElseReachesIt()
    {
        await using var site = await Installation.CreateSiteAsync();
        await HelloEdgeSample.PublishAsync(site);
        await site.StartAgentsAsync();

        var register = await HelloEdgeSample.RegisterAndWaitAsync(site);

        Assert.True(register.Succeeded, $"hzn register --wait exited {register.ExitCode}:\n{register.StandardOutput}\n{register.StandardError}\n{site.Diagnostics()}");
        output.WriteLine(register.StandardOutput);
        Assert.Contains("done: agreement finalized", register.StandardOutput, StringComparison.Ordinal);
        var agreement = Assert.Single(await site.AgbotAgreementsAsync());
        Assert.Equal("active", agreement.GetProperty("status").GetString());
        Assert.Equal($"{site.Org}/hello-consumer", agreement.GetProperty("service").GetString());
        var running = await site.RunningContainersAsync();
        var producer = Assert.Single(running, n => n.EndsWith("-hello-producer", StringComparison.Ordinal));
        var consumer = Assert.Single(running, n => n.EndsWith("-hello-consumer", StringComparison.Ordinal));

        // The consumer prints what it read from http://hello-producer:8080/ every five seconds: the
        // producer's page, which it writes from HELLO_MESSAGE at start.
        var served = await Eventually.ReachedAsync($"{producer} has written its page", async () =>
        {
            var page = await Installation.Docker.RunAsync(["exec", producer, "cat", "/www/index.html"]);
            return page.Succeeded && page.StandardOutput.Trim() is { Length: > 0 } text ? text : null;
        }, site, TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync($"{consumer}'s log shows the producer's page \"{served}\"",
            async () => (await Logs(consumer)).Split('\n').Any(l => l.EndsWith(" " + served, StringComparison.Ordinal)), site, Patience, TimeSpan.FromSeconds(1));

        // A container on the default bridge reaches neither the name nor the producer's address.
        var address = (await Installation.Docker.RunCheckedAsync(["inspect", "--format", "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}", producer]))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        var outsider = await Installation.Docker.RunAsync(["run", "--rm", "--label", $"{EdgeSite.ServiceOrgLabel}={site.Org}", "hzn/busybox:latest",
            "sh", "-c", $"timeout 5 wget -q -O - http://{address}:8080/ || echo unreachable-by-address; timeout 5 wget -q -O - http://hello-producer:8080/ || echo unreachable-by-name"],
            timeout: TimeSpan.FromSeconds(40));
        Assert.DoesNotContain(outsider.StandardOutput.Split('\n'), line => line.Trim() == served);
        Assert.Contains("unreachable-by-address", outsider.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("unreachable-by-name", outsider.StandardOutput, StringComparison.Ordinal);

        // The node owner's user input (userinput.json) is what the producer serves.
        Assert.True(served == HelloEdgeSample.Message,
            $"the producer serves \"{served}\", not the node owner's HELLO_MESSAGE \"{HelloEdgeSample.Message}\" from userinput.json");
    }

    [Fact]
    public async Task Unregister_AfterHelloEdgeRuns_CancelsTheAgreementRemovesItsContainersAndNetworksAndTheNode()
    {
        await using var site = await Installation.CreateSiteAsync();
        await HelloEdgeSample.PublishAsync(site);
        await site.StartAgentsAsync();
        var register = await HelloEdgeSample.RegisterAndWaitAsync(site);
        Assert.True(register.Succeeded, $"hzn register --wait exited {register.ExitCode}:\n{register.StandardOutput}\n{register.StandardError}\n{site.Diagnostics()}");
        output.WriteLine(register.StandardOutput);
        Assert.NotEmpty(await site.NetworksAsync());

        var unregister = await site.Hzn.RunAsync(["unregister"]);

        Assert.True(unregister.Succeeded, $"hzn unregister exited {unregister.ExitCode}:\n{unregister.StandardOutput}\n{unregister.StandardError}\n{site.Diagnostics()}");
        Assert.Empty(await site.ContainersAsync());
        Assert.Empty(await site.NetworksAsync());
        var gone = await site.Hzn.RunAsync(["exchange", "node", "list", site.NodeId]);
        Assert.Equal(2, gone.ExitCode);
        // The node's cancel travels to the agbot through the switchboard's mailbox.
        var cancelled = await Eventually.ReachedAsync("the agbot records the agreement as cancelled", async () =>
            (await site.AgbotAgreementsAsync()).FirstOrDefault(a => a.GetProperty("status").GetString() == "cancelled") is { ValueKind: JsonValueKind.Object } a ? (object)a : null,
            site, Patience);
        var agreement = (JsonElement)cancelled;
        // 105 when the node's cancel arrives first, 210 when the agbot sees the node leave the exchange first.
        var reason = agreement.GetProperty("cancelReason").GetInt32();
        Assert.True(reason is 105 or 210, $"cancel reason {reason}: {agreement.GetRawText()}");
        Assert.DoesNotContain(await site.AgbotAgreementsAsync(), a => a.GetProperty("status").GetString() is "active" or "negotiating");
    }

    private async Task<string> Logs(string container)
    {
        var result = await Installation.Docker.RunAsync(["logs", container]);
        return result.StandardOutput + result.StandardError;
    }

}
