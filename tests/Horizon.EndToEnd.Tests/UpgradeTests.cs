using System.Text.Json;
using Horizon.EndToEnd.Tests.Support;

namespace Horizon.EndToEnd.Tests;

/// <summary>A newer version published while an agreement runs: the agreement moves to it (docs/upgrades.md).</summary>
[Collection(EndToEndTests.Name)]
public sealed class UpgradeTests(InstallationFixture fixture, ITestOutputHelper output)
{
    private const string Service = "ticker";

    [Fact]
    public async Task PatternGainingANewerVersion_MovesTheRunningAgreementToItWithoutANewAgreement()
    {
        var installation = fixture.Installation;
        await using var site = await installation.CreateSiteAsync();
        var first = await installation.BuildAndPushImageAsync($"{site.Org}/{Service}", "1.0.0", """["sh", "-c", "echo ticker 1.0.0; trap \"exit 0\" TERM; while true; do sleep 5 & wait $!; done"]""");
        var second = await installation.BuildAndPushImageAsync($"{site.Org}/{Service}", "1.1.0", """["sh", "-c", "echo ticker 1.1.0; trap \"exit 0\" TERM; while true; do sleep 5 & wait $!; done"]""");
        await site.Hzn.RunCheckedAsync(["exchange", "service", "publish", "-f", ServiceFiles.WriteService(site, Service, "1.0.0", first), "-r", site.RegistryAuth]);
        await site.Hzn.RunCheckedAsync(["exchange", "pattern", "publish", "-f", ServiceFiles.WritePattern(site, Service, Service, ["1.0.0"], retries: 1, retryDurations: 3600)]);
        await site.Hzn.RunCheckedAsync(["exchange", "agbot", "addpattern", site.AgbotId, site.Org, Service]);
        await site.StartAgentsAsync();
        var register = await site.Hzn.RunAsync(["register", "-n", $"{site.NodeId}:{site.NodeToken}", "-p", Service, "--wait", "--timeout", "90"], TimeSpan.FromSeconds(120));
        Assert.True(register.Succeeded, $"hzn register --wait exited {register.ExitCode}:\n{register.StandardOutput}\n{register.StandardError}\n{site.Diagnostics()}");
        output.WriteLine(register.StandardOutput);
        var original = Assert.Single(await site.AgbotAgreementsAsync());
        var agreementId = original.GetProperty("id").GetString();
        Assert.Equal("1.0.0", original.GetProperty("version").GetString());

        // The publisher ships 1.1.0 and puts it first in the pattern.
        var published = System.Diagnostics.Stopwatch.StartNew();
        await site.Hzn.RunCheckedAsync(["exchange", "service", "publish", "-f", ServiceFiles.WriteService(site, Service, "1.1.0", second), "-r", site.RegistryAuth]);
        await site.Hzn.RunCheckedAsync(["exchange", "pattern", "publish", "-f", ServiceFiles.WritePattern(site, Service, Service, ["1.1.0", "1.0.0"], retries: 1, retryDurations: 3600)]);

        var upgraded = await Eventually.ReachedAsync("the agbot's agreement runs 1.1.0", async () =>
        {
            var agreements = await site.AgbotAgreementsAsync();
            return agreements.Any(a => a.GetProperty("version").GetString() == "1.1.0" && a.GetProperty("status").GetString() == "active") ? agreements : null;
        }, site, TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(1));

        output.WriteLine($"the agbot's agreement ran 1.1.0 {published.Elapsed.TotalSeconds:0.0} s after publishing started");
        // The same agreement, updated in place: nothing was cancelled and no second agreement made.
        var agreement = Assert.Single(upgraded);
        Assert.Equal(agreementId, agreement.GetProperty("id").GetString());
        var running = await Eventually.ReachedAsync("one container of 1.1.0 runs on the node", async () =>
        {
            var names = await site.RunningContainersAsync();
            if (names.Count != 1)
            {
                return null;
            }
            var version = await installation.Docker.RunCheckedAsync(["inspect", "--format", "{{index .Config.Labels \"org.openhorizon.horizon.service.version\"}}", names[0]]);
            return version == "1.1.0" ? names : null;
        }, site, TimeSpan.FromSeconds(30));
        var logs = await installation.Docker.RunAsync(["logs", running[0]]);
        Assert.Contains("ticker 1.1.0", logs.StandardOutput, StringComparison.Ordinal);
        // The node agent agrees: the one agreement it has is the same id.
        var onNode = await site.Hzn.RunCheckedAsync(["agreement", "list", "--json"]);
        Assert.Contains(agreementId!, onNode, StringComparison.Ordinal);
        using var nodeView = JsonDocument.Parse(onNode);
        Assert.NotEqual(JsonValueKind.Undefined, nodeView.RootElement.ValueKind);
    }
}
