using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Horizon.Testing;
using Horizon.Testing.EndToEnd;
using Microsoft.Playwright;

// Usage: dotnet run -c Release --project tools/bench/Horizon.Bench.Console -- [nodes]
// Fills a fresh exchange (SQLite) with N nodes of one org, half of them heartbeating, and an agbot
// reporting N agreements, then measures
// (1) the console's time to first render of the fleet overview in headless Chromium, from the
// sign-in click to the node count on screen, three times, (2) the cost of the exchange's /metrics
// scrape, and (3) that of the agbot's with N agreements in its store (AgbotScrape.cs). The servers
// are the solution's build, or the production publish where HZN_EXCHANGE_BINARY / HZN_AGBOT_BINARY name it.
var nodes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
Console.WriteLine($"command: dotnet {string.Join(' ', Environment.GetCommandLineArgs())}");
Console.WriteLine($"load average at start: {File.ReadAllText("/proc/loadavg").Trim()}");
using var folder = new TempDirectory("hzn-bench-console");
const string Root = "bench-root-password";
var port = FreePort.Next();
// The root password goes through the environment: a command line is readable by every local user.
await using var exchange = BuiltProgram.Exchange.Start(["--urls", $"http://127.0.0.1:{port}",
    $"--Exchange:SqlitePath={folder.Combine("exchange.db")}", "--Logging:LogLevel:Default=Warning"],
    new Dictionary<string, string> { ["Exchange__RootPassword"] = Root });
await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(60), () => !exchange.HasExited);
using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/v1/") };
var root = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"root/root:{Root}")));

async Task SendAsync(HttpMethod method, string path, string body)
{
    using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    request.Headers.Authorization = root;
    using var response = await http.SendAsync(request);
    response.EnsureSuccessStatusCode();
}

await SendAsync(HttpMethod.Post, "orgs/bench", """{"label":"bench"}""");
await SendAsync(HttpMethod.Post, "orgs/bench/users/admin", """{"password":"bench-admin-password","admin":true}""");
var filled = Stopwatch.StartNew();
await Parallel.ForEachAsync(Enumerable.Range(0, nodes), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
{
    await SendAsync(HttpMethod.Put, $"orgs/bench/nodes/node{i}", $$"""{"token":"node-token-{{i}}-0123456789abcdef","name":"node{{i}}","arch":"amd64","pattern":""}""");
    if (i % 2 == 0)
    {
        await SendAsync(HttpMethod.Post, $"orgs/bench/nodes/node{i}/heartbeat", "{}");
    }
});
// One agbot holding an agreement with every node, as its census reports them (the overview reads the counts).
await SendAsync(HttpMethod.Put, "orgs/bench/agbots/agbot1", """{"token":"bench-agbot-token-0123456789","name":"agbot1"}""");
await SendAsync(HttpMethod.Put, "orgs/bench/agbots/agbot1/rollouts", $$"""
    {"rollouts":[{"workload":"pattern:bench/p:bench/svc","version":"1.1.0","state":"running","batch":3,"accepted":2000,"pending":1000}],
     "agreements":[{"workload":"pattern:bench/p:bench/svc","state":"finalized","count":{{nodes - 10}}},{"workload":"pattern:bench/p:bench/svc","state":"proposed","count":10}]}
    """);
Console.WriteLine($"{nodes} nodes created (half heartbeating), agbot report with {nodes} agreements, in {filled.Elapsed.TotalSeconds:F1} s");

var chromium = Prerequisites.RequireExecutable("chromium (tools/setup.sh installs Debian's chromium)", "/usr/bin/chromium");
using var profile = new TempDirectory("hzn-bench-chromium");
using var playwright = await Playwright.CreateAsync();
await using var context = await playwright.Chromium.LaunchPersistentContextAsync(profile.Path, new BrowserTypeLaunchPersistentContextOptions
{
    ExecutablePath = chromium,
    Headless = true,
    Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
page.SetDefaultTimeout(120_000);
var consoleUrl = $"http://127.0.0.1:{port}/console/";
var expected = nodes.ToString(CultureInfo.InvariantCulture);
for (var run = 1; run <= 3; run++)
{
    await page.GotoAsync(consoleUrl);
    await page.EvaluateAsync("() => sessionStorage.clear()");
    await page.GotoAsync(consoleUrl + "?run=" + run);
    await page.GetByLabel("Organization").FillAsync("bench");
    await page.GetByLabel("User").FillAsync("admin");
    await page.GetByLabel("Password").FillAsync("bench-admin-password");
    var clicked = Stopwatch.StartNew();
    await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    await Assertions.Expect(page.Locator("[data-count=total]")).ToHaveTextAsync(expected, new() { Timeout = 120_000 });
    await Assertions.Expect(page.Locator("#agreements")).ToContainTextAsync(expected, new() { Timeout = 120_000 });
    var rendered = await page.EvaluateAsync<string>("() => document.body.dataset.rendered");
    Console.WriteLine($"console run {run}: sign-in click to the overview showing {expected} nodes: {clicked.Elapsed.TotalMilliseconds:F0} ms (view built in {rendered} ms)");
}

// The exchange's census counts nodes every 10 s; wait for one pass, then scrape.
await Task.Delay(TimeSpan.FromSeconds(11));
using var metrics = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
var cpuBefore = Process.GetProcessById(exchange.Id).TotalProcessorTime;
var scrapes = new List<double>();
var bytes = 0;
for (var i = 0; i < 50; i++)
{
    var watch = Stopwatch.StartNew();
    var text = await metrics.GetStringAsync("metrics");
    scrapes.Add(watch.Elapsed.TotalMilliseconds);
    bytes = text.Length;
}
var cpu = (Process.GetProcessById(exchange.Id).TotalProcessorTime - cpuBefore).TotalMilliseconds / scrapes.Count;
scrapes.Sort();
Console.WriteLine($"/metrics of the exchange with {nodes} nodes: {bytes} bytes, p50 {scrapes[scrapes.Count / 2]:F1} ms, p99 {scrapes[^1]:F1} ms, {cpu:F2} ms exchange CPU per scrape");
await Horizon.Bench.Console.AgbotScrape.RunAsync(nodes, new Uri($"http://127.0.0.1:{port}/v1"), "bench", "agbot1", "bench-agbot-token-0123456789");
Console.WriteLine($"load average at end: {File.ReadAllText("/proc/loadavg").Trim()}");
