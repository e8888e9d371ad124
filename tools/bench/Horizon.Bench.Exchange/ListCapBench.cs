using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Horizon.Exchange.Client;

namespace Horizon.Bench.Exchange;

/// <summary>
/// What a long list parameter costs the exchange (issue 19: a 100,000-org <c>orgList</c> cost 5.6 s of
/// work per request, a 20,000-org search list 1.5 s): CPU of the exchange process per request for
/// change-feed reads and pattern searches with lists of growing length (all under the 1 MB body limit),
/// those past the cap of 1,000 refused with 400.
/// </summary>
internal static class ListCapBench
{
    private const string Org = "bench";
    private const string Token = "bench-token";

    public static async Task RunAsync()
    {
        using var folder = new Horizon.Testing.TempDirectory("hzn-bench-lists");
        await using var exchange = await ExchangeProcess.StartAsync($"--Exchange:SqlitePath={folder.Combine("exchange.db")}", "bench-root");
        using var http = new HttpClient { BaseAddress = exchange.Url };
        var root = Header("root", "root", "bench-root");
        await SendAsync(http, HttpMethod.Put, $"orgs/{Org}", """{"label":"bench"}""", root);
        await SendAsync(http, HttpMethod.Put, $"orgs/{Org}/users/admin", $$"""{"password":"{{Token}}","admin":true}""", root);
        var admin = Header(Org, "admin", Token);
        await SendAsync(http, HttpMethod.Put, $"orgs/{Org}/agbots/a1", $$"""{"token":"{{Token}}"}""", admin);
        var agbot = Header(Org, "a1", Token);

        Console.WriteLine("| request | list entries | requests | status | exchange CPU per request (ms) | wall per request (ms) |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (entries, requests) in new[] { (10, 200), (1_000, 200), (1_001, 50), (50_000, 3) })
        {
            var body = JsonSerializer.Serialize(new ChangesRequest { OrgList = Orgs(entries) }, ExchangeJsonContext.Default.ChangesRequest);
            await MeasureAsync(http, exchange, "POST changes orgList (agbot)", $"orgs/{Org}/changes", body, agbot, entries, requests);
        }
        foreach (var (entries, requests) in new[] { (10, 200), (1_000, 100), (1_001, 50), (20_000, 3) })
        {
            var body = JsonSerializer.Serialize(new PatternSearchRequest { NodeOrgids = Orgs(entries) }, ExchangeJsonContext.Default.PatternSearchRequest);
            await MeasureAsync(http, exchange, "POST patterns/p/search nodeOrgids (hub admin)", $"orgs/{Org}/patterns/p/search", body, root, entries, requests);
        }
    }

    private static List<string> Orgs(int count) => Enumerable.Range(0, count).Select(i => $"org{i:D6}").ToList();

    private static async Task MeasureAsync(HttpClient http, ExchangeProcess exchange, string what, string path, string body,
        AuthenticationHeaderValue auth, int entries, int requests)
    {
        // One request first, so JIT and caches are warm before the measured ones.
        var status = await SendAsync(http, HttpMethod.Post, path, body, auth, allowRefusal: true);
        var cpu = exchange.CpuTime;
        var wall = Stopwatch.StartNew();
        for (var i = 0; i < requests; i++)
        {
            status = await SendAsync(http, HttpMethod.Post, path, body, auth, allowRefusal: true);
        }
        var cpuMs = (exchange.CpuTime - cpu).TotalMilliseconds / requests;
        Console.WriteLine($"| {what} | {entries:N0} | {requests} | {status} | {cpuMs:F2} | {wall.Elapsed.TotalMilliseconds / requests:F2} |");
    }

    private static AuthenticationHeaderValue Header(string org, string id, string token) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{org}/{id}:{token}")));

    private static async Task<int> SendAsync(HttpClient http, HttpMethod method, string path, string json, AuthenticationHeaderValue auth, bool allowRefusal = false)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = auth;
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode && !allowRefusal)
        {
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        return (int)response.StatusCode;
    }
}
