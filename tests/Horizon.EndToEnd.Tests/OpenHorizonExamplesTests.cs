using System.Text.RegularExpressions;
using Horizon.EndToEnd.Tests.Support;

namespace Horizon.EndToEnd.Tests;

/// <summary>
/// An Open Horizon user's own content, unchanged but for the org in hzn.json and the keys: the
/// examples of patterns/examples/open-horizon published with hzn as in Open Horizon, deployed by
/// pattern and by policy, each service doing its job.
/// </summary>
[Collection(EndToEndTests.Name)]
public sealed partial class OpenHorizonExamplesTests(InstallationFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private HorizonInstallation Installation => fixture.Installation;

    [Fact]
    public async Task ByPattern_TheGreetingGreetsTheDevice_AndThePublisherPrintsSamplesOfItsSensorAndLocation()
    {
        await using var site = await Installation.CreateSiteAsync();
        await Installation.BuildExampleImagesAsync("open-horizon");
        var sample = await OpenHorizonSample.CopyForAsync(site);
        await sample.PublishServicesAsync();
        await sample.RunAsync("deploy", "exchange", "pattern", "publish", "-f", "pattern.json");
        // Open Horizon's positional form: agbot, pattern org, pattern, node org.
        await sample.RunAsync("deploy", "exchange", "agbot", "addpattern", site.AgbotId, site.Org, sample.Pattern, site.Org);
        await site.StartAgentsAsync();

        var register = await sample.TryAsync("deploy", "register", "-n", $"{site.NodeId}:{site.NodeToken}", "-p", sample.Pattern,
            "-f", "userinput.json", "-s", "publisher", "--serviceorg", site.Org, "-t", "150");

        Assert.True(register.Succeeded, $"hzn register exited {register.ExitCode}:\n{register.StandardOutput}\n{register.StandardError}\n{site.Diagnostics()}");
        output.WriteLine(register.StandardOutput);
        // GREETING keeps the service's default, SIGNATURE is the node owner's; the platform's variables come from the agent.
        var greeting = await Eventually.ReachedAsync("the greeting greets the node", async () =>
            (await sample.LogAsync("greeting")).FirstOrDefault(l => l.StartsWith($"Hello, {site.NodeId}! Greeting ", StringComparison.Ordinal)),
            site, Patience, TimeSpan.FromSeconds(2));
        output.WriteLine(greeting);
        Assert.Contains("from the examples team", greeting, StringComparison.Ordinal);
        Assert.Contains($"org {site.Org}, pattern {site.Org}/{sample.Pattern}, {sample.Arch}", greeting, StringComparison.Ordinal);
        // The node owner's PUBLISH_TOPIC wins over the pattern's; the sensor and location answer by name.
        var samples = await Eventually.ReachedAsync("the publisher prints two samples", async () =>
            (await sample.LogAsync("publisher")).Where(l => Sample().IsMatch(l)).Skip(1).FirstOrDefault(),
            site, Patience, TimeSpan.FromSeconds(2));
        output.WriteLine(samples);
        Assert.Contains($"to samples/from-node from {site.NodeId}: load=", samples, StringComparison.Ordinal);
        Assert.Contains(" at 52.5200,13.4050 (", samples, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ByPolicy_WithEveryDeploymentPolicyServed_TheNodeRunsBoth_WithThePoliciesUserInput()
    {
        await using var site = await Installation.CreateSiteAsync();
        await Installation.BuildExampleImagesAsync("open-horizon");
        var sample = await OpenHorizonSample.CopyForAsync(site);
        await sample.PublishServicesAsync();
        foreach (var service in new[] { "greeting", "publisher" })
        {
            await sample.RunAsync(service, "exchange", "deployment", "addpolicy", "-f", "horizon/deployment.policy.json", $"{site.Org}/policy-{service}");
        }
        // Without a policy name Open Horizon serves every deployment policy of the org ('*').
        await sample.RunAsync("deploy", "exchange", "agbot", "adddeploymentpol", site.AgbotId, site.Org);
        var check = await sample.TryAsync("deploy", "deploycheck", "policy", "--node-pol", "node.policy.json", "-b", $"{site.Org}/policy-publisher");
        output.WriteLine(check.StandardOutput + check.StandardError);
        Assert.True(check.Succeeded, $"deploycheck exited {check.ExitCode}:\n{check.StandardOutput}\n{check.StandardError}");
        await site.StartAgentsAsync();

        var register = await sample.TryAsync("deploy", "register", "-n", $"{site.NodeId}:{site.NodeToken}", "--policy", "node.policy.json",
            "-f", "userinput.exchange.json", "-s", "publisher", "--serviceorg", site.Org, "-t", "150");

        Assert.True(register.Succeeded, $"hzn register exited {register.ExitCode}:\n{register.StandardOutput}\n{register.StandardError}\n{site.Diagnostics()}");
        var greeting = await Eventually.ReachedAsync("the greeting greets the node", async () =>
            (await sample.LogAsync("greeting")).FirstOrDefault(l => l.StartsWith($"Hello, {site.NodeId}! Greeting ", StringComparison.Ordinal)),
            site, Patience, TimeSpan.FromSeconds(2));
        output.WriteLine(greeting);
        Assert.Contains("from the examples team", greeting, StringComparison.Ordinal);
        Assert.Contains("pattern none", greeting, StringComparison.Ordinal);
        // No node input for the publisher: the deployment policy's topic, and the service's default interval.
        var samples = await Eventually.ReachedAsync("the publisher prints two samples", async () =>
            (await sample.LogAsync("publisher")).Where(l => Sample().IsMatch(l)).Skip(1).FirstOrDefault(),
            site, Patience, TimeSpan.FromSeconds(2));
        output.WriteLine(samples);
        Assert.Contains($"to samples/by-policy from {site.NodeId}: load=", samples, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^sample \d+ to \S+ from \S+: load=[0-9.]+ at [0-9.]+,[0-9.]+ \(")]
    private static partial Regex Sample();
}
