using System.Net;
using System.Text.Json;
using Horizon.Exchange.Auth;
using Horizon.Testing;
using Horizon.Testing.EndToEnd;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Horizon.Exchange.Tests;

/// <summary>
/// The exchange as an operator runs it (its own process; HZN_EXCHANGE_BINARY for the published executable) answers
/// ready only once it has warmed up: the first requests after a start cost a page of the pattern search 10–15 ms of
/// CPU more than later ones (docs/benchmarks.md §7), and a load balancer sends users as soon as /readyz says 200.
/// </summary>
public sealed class StartupWarmupTests
{
    [Fact]
    public async Task Readyz_SaysReadyOnlyWithTheWarmUpDone_AndTheLogSaysWhatItTook()
    {
        using var directory = new TempDirectory("hzn-warmup");
        var port = FreePort.Next();
        await using var exchange = BuiltProgram.Exchange.Start(
            ["--urls", $"http://127.0.0.1:{port}", $"--Exchange:SqlitePath={directory.Combine("exchange.db")}"],
            new Dictionary<string, string> { ["HZN_EXCHANGE_ROOT_PASSWORD"] = "warm-up-test-password", ["HOME"] = directory.Path });
        await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(60), () => !exchange.HasExited);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var answers = new List<(HttpStatusCode Status, JsonElement WarmUp)>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (answers.Count == 0 || answers[^1].Status != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, $"/readyz did not answer 200 within 30 s: {exchange.RecentOutput}");
            using var response = await http.GetAsync("/readyz");
            using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var warmUp = report.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "warm-up");
            answers.Add((response.StatusCode, warmUp.Clone()));
            await Task.Delay(5);
        }

        foreach (var (status, warmUp) in answers)
        {
            var warm = warmUp.GetProperty("status").GetString() == "Healthy";
            Assert.True(warm || status == HttpStatusCode.ServiceUnavailable, "/readyz said ready before the warm-up was done");
            Assert.StartsWith(warm ? "warmed up in " : "warming up", warmUp.GetProperty("description").GetString(), StringComparison.Ordinal);
        }
        Assert.Contains("warmed up in", exchange.RecentOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("the warm-up stopped", exchange.RecentOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HubAdminPasswordFromConfiguration_IsRememberedAsVerifiedAtStart_AndAWrongOneIsNot()
    {
        await using var server = await ExchangeServer.StartAsync();
        var verifier = server.Services.GetRequiredService<CredentialVerifier>();

        Assert.True(verifier.Cached("root", "root", server.RootPassword) is { IsHubAdmin: true });
        Assert.Null(verifier.Cached("root", "root", server.RootPassword + "x"));
    }
}
