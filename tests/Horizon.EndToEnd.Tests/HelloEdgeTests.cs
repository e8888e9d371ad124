using System.Text.Json;
using Horizon.EndToEnd.Tests.Support;

namespace Horizon.EndToEnd.Tests;

/// <summary>The hello-edge sample from publish to running containers and back, driven with hzn like a user.</summary>
[Collection(EndToEndTests.Name)]
public sealed class HelloEdgeTests(InstallationFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private HorizonInstallation Installation => fixture.Installation;

    [Fact]
    public async Task Register_ToHelloEdge_RunsConsumerThatReadsTheProducerByNameAndNothingElseReachesIt()
    {
        await using var site = await Installation.CreateSiteAsync();
        await HelloEdgeSample.PublishAsync(site);
        await site.StartNodeAgentAsync();
        await site.StartAgbotAsync();

        var register = await HelloEdgeSample.RegisterAndWaitAsync(site);

        Assert.True(register.Succeeded, $"hzn register --wait exited {register.ExitCode}:\n{register.StandardOutput}\n{register.StandardError}\n{site.Diagnostics()}");
        Assert.Contains("done: agreement finalized", register.StandardOutput, StringComparison.Ordinal);
        var agreement = Assert.Single(await site.AgbotAgreementsAsync());
        Assert.Equal("active", agreement.GetProperty("status").GetString());
        Assert.Equal("hello-consumer", agreement.GetProperty("service").GetString());
        var running = await site.RunningContainersAsync();
        var producer = Assert.Single(running, n => n.EndsWith("-hello-producer", StringComparison.Ordinal));
        var consumer = Assert.Single(running, n => n.EndsWith("-hello-consumer", StringComparison.Ordinal));

        // The consumer prints what it read from http://hello-producer:8080/ every five seconds.
        await Eventually.TrueAsync($"{consumer}'s log shows \"{HelloEdgeSample.Message}\"",
            async () => (await Logs(consumer)).Contains(HelloEdgeSample.Message, StringComparison.Ordinal), site, Patience, TimeSpan.FromSeconds(1));

        // A container on the default bridge reaches neither the name nor the producer's address.
        var address = (await Installation.Docker.RunCheckedAsync(["inspect", "--format", "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}", producer]))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        var outsider = await Installation.Docker.RunAsync(["run", "--rm", "--label", $"{EdgeSite.ServiceOrgLabel}={site.Org}", "hzn/busybox:latest",
            "sh", "-c", $"timeout 5 wget -q -O - http://{address}:8080/ || echo unreachable-by-address; timeout 5 wget -q -O - http://hello-producer:8080/ || echo unreachable-by-name"],
            timeout: TimeSpan.FromSeconds(40));
        Assert.DoesNotContain(HelloEdgeSample.Message, outsider.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("unreachable-by-address", outsider.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("unreachable-by-name", outsider.StandardOutput, StringComparison.Ordinal);
    }

    private async Task<string> Logs(string container)
    {
        var result = await Installation.Docker.RunAsync(["logs", container]);
        return result.StandardOutput + result.StandardError;
    }

    internal static string Describe(IEnumerable<JsonElement> agreements) => string.Join('\n', agreements.Select(a => a.GetRawText()));
}
