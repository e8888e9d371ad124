using Horizon.Observability.Tests.Fleet;
using Horizon.Testing.Processes;
using Xunit.Abstractions;

namespace Horizon.Observability.Tests;

/// <summary>Debian's prometheus scraping every component of a running installation, and the alert rules it loads.</summary>
[Collection(ObservedFleetTests.Name)]
public sealed class PrometheusTests(ObservedFleet fleet, ITestOutputHelper output)
{
    [Fact]
    public async Task AlertRules_PassPromtool()
    {
        var promtool = Prerequisites.RequireExecutable("promtool (tools/setup.sh installs Debian's prometheus)", "/usr/bin/promtool");

        var check = await CommandLine.RunAsync(promtool, ["check", "rules", PrometheusServer.AlertRules]);

        Assert.True(check.Succeeded, $"promtool check rules exited {check.ExitCode}:\n{check.StandardOutput}\n{check.StandardError}");
        Assert.Contains("SUCCESS: 4 rules found", check.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prometheus_ScrapingEveryComponent_CountsTheFleetsAgreementAndItsFailure()
    {
        var site = fleet.Site;
        await using var prometheus = await PrometheusServer.StartAsync(new Dictionary<string, string>
        {
            ["exchange"] = $"127.0.0.1:{fleet.Installation.ExchangePort}",
            ["switchboard"] = $"127.0.0.1:{fleet.Installation.SwitchboardPort}",
            ["agbot"] = $"127.0.0.1:{site.AgbotPort}",
            ["node-agent"] = $"127.0.0.1:{site.NodeAgentPort}",
        });

        await fleet.WaitAsync("prometheus to scrape all four components", async () =>
            (await prometheus.TargetsAsync()) is { Count: 4 } targets && targets.Values.All(h => h == "up"), TimeSpan.FromSeconds(60));
        var finalized = $"sum(horizon_agbot_agreements{{state=\"finalized\",workload=\"pattern:{site.Org}/{ObservedFleet.Service}:{site.Org}/{ObservedFleet.Service}\"}})";
        await fleet.WaitAsync("the agbot's finalized agreement in prometheus", async () => await prometheus.QueryAsync(finalized) is not null, TimeSpan.FromSeconds(60));

        Assert.Equal(1, await prometheus.QueryAsync(finalized));
        Assert.Equal(1, await prometheus.QueryAsync("sum(horizon_node_agreements{state=\"running\"})"));
        Assert.Equal(1, await prometheus.QueryAsync($"sum(horizon_exchange_nodes{{org=\"{site.Org}\",state=\"online\"}})"));
        // 2.0.0 crash-looped: the node ended it with 103 at least once, and the agbot counted it.
        Assert.True(await prometheus.QueryAsync("sum(horizon_agbot_cancels_total{by=\"node\",reason=\"103\"})") >= 1);
        Assert.True(await prometheus.QueryAsync("sum(horizon_node_container_restarts_total)") >= 1);
        Assert.True(await prometheus.QueryAsync("sum(horizon_switchboard_credentials_issued_total)") >= 1);
        Assert.True(await prometheus.QueryAsync("sum(horizon_mailbox_delivered_total{job=\"agbot\"})") >= 1);
        // Requests are counted by route template, not by node. (The node's first heartbeat is its registration's write
        // to its own record, which the exchange counts as one; a heartbeat request comes only an interval later.)
        Assert.True(await prometheus.QueryAsync("sum(http_server_request_duration_seconds_count{job=\"exchange\",http_route=\"/v1/orgs/{org}/nodes/{id}\"})") >= 1);
        output.WriteLine(string.Join('\n', (await prometheus.TargetsAsync()).Select(t => $"{t.Key}: {t.Value}")));
    }
}
