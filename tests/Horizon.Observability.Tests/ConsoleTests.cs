using Horizon.Observability.Tests.Fleet;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Horizon.Observability.Tests;

/// <summary>The exchange's web console in a real browser, against a running installation.</summary>
[Collection(ObservedFleetTests.Name)]
public sealed class ConsoleTests(ObservedFleet fleet, ITestOutputHelper output)
{
    private string ConsoleUrl => $"http://127.0.0.1:{fleet.Installation.ExchangePort}/console/";

    [Fact]
    public async Task Console_ShowsTheNodeItsAgreementTheFailedVersionsCancelReasonAndFollowsARolloutLive()
    {
        var site = fleet.Site;
        await using var browser = await ConsoleBrowser.StartAsync();
        var page = browser.Page;

        // Sign in as the org's admin; the overview counts the node and its agreement.
        await browser.SignInAsync(ConsoleUrl, site.Org, site.PublisherUser, site.PublisherPassword);
        await Assertions.Expect(page.Locator("#who")).ToHaveTextAsync($"{site.Org}/{site.PublisherUser}");
        await Assertions.Expect(page.Locator("[data-count=online]")).ToHaveTextAsync("1");
        var agreements = page.Locator("#agreements");
        await Assertions.Expect(agreements).ToContainTextAsync($"pattern {site.Org}/{ObservedFleet.Service}");
        await Assertions.Expect(agreements).ToContainTextAsync("finalized 1");
        output.WriteLine("overview: " + await browser.ScreenshotAsync("1-overview"));

        // The node page: its facts, the agreement, the running container and the event log it reported.
        await page.GetByRole(AriaRole.Link, new() { Name = "Nodes" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = site.NodeId, Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#facts")).ToContainTextAsync("online");
        await Assertions.Expect(page.Locator("#node-agreements")).ToContainTextAsync($"{site.Org}/{ObservedFleet.Service}");
        await Assertions.Expect(page.Locator("#containers")).ToContainTextAsync("1.0.0");
        // 2.0.0 crash-looped: the node cancelled it with 103, and says so in the event log it reports.
        await Assertions.Expect(page.Locator("#eventlog [data-reason='103']").First).ToBeVisibleAsync();
        output.WriteLine("node: " + await browser.ScreenshotAsync("2-node"));

        // The pattern page explains why the node does not run the newest version.
        await page.GotoAsync(ConsoleUrl + "#/pattern/" + ObservedFleet.Service);
        var nodes = page.Locator("#pattern-nodes");
        await Assertions.Expect(nodes).ToContainTextAsync("1.0.0");
        await Assertions.Expect(nodes).ToContainTextAsync("last failure: 103");
        output.WriteLine("pattern: " + await browser.ScreenshotAsync("3-pattern"));

        // A rollout to 1.1.0: the overview follows it from the change feed, without a reload.
        await page.GotoAsync(ConsoleUrl + "#/");
        await Assertions.Expect(page.Locator("#rollouts")).ToBeVisibleAsync();
        await page.EvaluateAsync("() => window.__notReloaded = true");
        var image = await fleet.Installation.BuildAndPushImageAsync($"{site.Org}/{ObservedFleet.Service}", "1.1.0", ObservedFleet.Steady("1.1.0"));
        await fleet.PublishServiceAsync("1.1.0", image);
        await fleet.PublishPatternAsync(["1.1.0", "1.0.0"]);
        var rollouts = page.Locator("#rollouts");
        await Assertions.Expect(rollouts).ToContainTextAsync("1.1.0", new() { Timeout = 90_000 });
        await Assertions.Expect(rollouts).ToContainTextAsync("1 accepted", new() { Timeout = 90_000 });
        await Assertions.Expect(rollouts).ToContainTextAsync("100 %");
        Assert.True(await page.EvaluateAsync<bool>("() => window.__notReloaded === true"), "the page was reloaded");
        output.WriteLine("rollout: " + await browser.ScreenshotAsync("4-rollout"));
    }

    [Fact]
    public async Task Console_WithAWrongPassword_StaysSignedOut()
    {
        await using var browser = await ConsoleBrowser.StartAsync();

        await browser.SignInAsync(ConsoleUrl, fleet.Site.Org, fleet.Site.PublisherUser, "not-the-password");

        await Assertions.Expect(browser.Page.Locator("#signin-error")).ToHaveTextAsync("The exchange refused these credentials.");
        await Assertions.Expect(browser.Page.Locator("#nav")).ToBeHiddenAsync();
        output.WriteLine("refused: " + await browser.ScreenshotAsync("5-refused"));
    }

    [Fact]
    public async Task Console_ForAPlainUserOfTheOrg_ShowsOnlyWhatTheExchangeLetsThemRead()
    {
        var site = fleet.Site;
        var password = "viewer-" + Guid.NewGuid().ToString("N")[..12];
        await site.Hzn.With(new Dictionary<string, string> { ["HZN_NEW_USER_PASSWORD"] = password }).RunCheckedAsync(["exchange", "user", "add", "-o", site.Org, "viewer"]);
        await using var browser = await ConsoleBrowser.StartAsync();

        await browser.SignInAsync(ConsoleUrl, site.Org, "viewer", password);

        // The node belongs to the admin: a plain user lists none, and may not read the admin's agbot.
        await Assertions.Expect(browser.Page.Locator("[data-count=total]")).ToHaveTextAsync("0");
        await Assertions.Expect(browser.Page.Locator("#agreements")).ToContainTextAsync("Not permitted");
        output.WriteLine("viewer: " + await browser.ScreenshotAsync("6-viewer"));
    }
}
