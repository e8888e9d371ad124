using System.Diagnostics;
using System.Globalization;
using Horizon.Agbot.Storage;
using Horizon.Testing;
using Horizon.Testing.EndToEnd;
using Horizon.Testing.Nats;

namespace Horizon.Bench.Console;

/// <summary>
/// The cost of scraping the agbot's <c>/metrics</c> while its store holds N agreements: the store is
/// filled before the agbot starts (the agbot's own SQLite store class), the agbot runs as its own
/// process against the bench's exchange, and the scrape is timed once its census has counted.
/// </summary>
internal static class AgbotScrape
{
    public static async Task RunAsync(int agreements, Uri exchangeV1, string org, string agbotId, string agbotToken)
    {
        using var state = new TempDirectory("hzn-bench-agbot");
        await using (var store = new SqliteAgreementStore(state.Combine("agreements.db")))
        {
            await store.InitializeAsync();
            var now = DateTimeOffset.UtcNow;
            for (var i = 0; i < agreements; i++)
            {
                await store.TryInsertAsync(new AgreementRecord
                {
                    Id = $"bench-agreement-{i:D6}",
                    NodeOrg = org,
                    NodeId = $"node{i}",
                    Workload = $"pattern:{org}/p:{org}/svc",
                    Source = $"{org}/p",
                    ServiceOrg = org,
                    ServiceUrl = "svc",
                    ServiceVersion = "1.0.0",
                    Arch = "amd64",
                    State = i % 100 == 0 ? AgreementState.Proposed : AgreementState.Finalized,
                    Agbot = $"{org}/{agbotId}",
                    CreatedAt = now,
                    UpdatedAt = now,
                    FinalizedAt = now,
                });
            }
        }
        var port = FreePort.Next();
        // The agbot starts serving once it has registered its keys and connected to NATS; a nats-server
        // without authorization will do (no switchboard: nothing is negotiated here).
        await using var nats = await NatsServer.StartAsync();
        await using var agbot = BuiltProgram.Agbot.Start([$"--Agbot:Org={org}", $"--Agbot:Id={agbotId}", $"--Agbot:ExchangeUrl={exchangeV1}",
            $"--Agbot:NatsUrl={nats.Url}", $"--Agbot:StateDirectory={state.Path}", $"--Agbot:LocalApiUrl=http://127.0.0.1:{port}",
            "--Logging:LogLevel:Default=Warning"], new Dictionary<string, string> { ["Agbot__Token"] = agbotToken });
        await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(60), () => !agbot.HasExited);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        var expected = $"horizon_agbot_agreements{{";
        var deadline = Stopwatch.StartNew();
        while (!(await http.GetStringAsync("metrics")).Contains(expected, StringComparison.Ordinal) && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(500);
        }
        var text = await http.GetStringAsync("metrics");
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("horizon_agbot_agreements{", StringComparison.Ordinal) && l.Contains("finalized", StringComparison.Ordinal));
        using var process = Process.GetProcessById(agbot.Id);
        var cpuBefore = process.TotalProcessorTime;
        var scrapes = new List<double>();
        for (var i = 0; i < 50; i++)
        {
            var watch = Stopwatch.StartNew();
            text = await http.GetStringAsync("metrics");
            scrapes.Add(watch.Elapsed.TotalMilliseconds);
        }
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds / scrapes.Count;
        scrapes.Sort();
        System.Console.WriteLine($"agbot census: {line ?? "(no finalized count yet)"}");
        System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"/metrics of the agbot with {agreements} agreements ({BuiltProgram.Agbot.AssemblyPath}): {text.Length} bytes, p50 {scrapes[scrapes.Count / 2]:F1} ms, p99 {scrapes[^1]:F1} ms, {cpu:F2} ms agbot CPU per scrape"));
    }
}
