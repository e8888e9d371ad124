using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Horizon.Exchange.Client;
using Horizon.Testing.Postgres;

namespace Horizon.Bench.Exchange;

/// <summary>
/// Registers N nodes to one pattern, pages through the pattern search 1,000 at a time (twice: cold, then warm), then
/// drives heartbeats from many concurrent loopback connections for a fixed time.
/// </summary>
internal static class ExchangeBench
{
    private const int Concurrency = 32;
    private const int HeartbeatNodes = 2_000;
    private const string Org = "bench";
    private const string Token = "bench-token";
    // Node tokens as node agents hold them: 32 random bytes, base64 (44 characters, a machine token).
    private static readonly string NodeToken = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public static async Task<BenchResult> RunAsync(string provider, int nodes, int heartbeatSeconds)
    {
        PostgresServer? postgres = null;
        ExchangeProcess? exchange = null;
        using var folder = new Horizon.Testing.TempDirectory("hzn-bench-exchange");
        try
        {
            string storage;
            if (provider == "postgresql")
            {
                postgres = await PostgresServer.StartAsync();
                storage = $"--Exchange:PostgresConnectionString={await postgres.CreateDatabaseAsync("bench")};Maximum Pool Size=64";
            }
            else
            {
                storage = $"--Exchange:SqlitePath={folder.Combine("exchange.db")}";
            }
            exchange = await ExchangeProcess.StartAsync(storage, "bench-root");
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = exchange.Url };
            var root = Header("root", "root", "bench-root");
            await SendAsync(http, HttpMethod.Put, $"orgs/{Org}", """{"label":"bench"}""", root);
            await SendAsync(http, HttpMethod.Put, $"orgs/{Org}/users/owner", $$"""{"password":"{{Token}}"}""", root);
            var owner = Header(Org, "owner", Token);

            Console.WriteLine($"[{provider}] registering {nodes:N0} nodes with {Concurrency} concurrent clients...");
            var cpu = exchange.CpuTime;
            var registration = Stopwatch.StartNew();
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < nodes)
                {
                    await SendAsync(http, HttpMethod.Put, $"orgs/{Org}/nodes/n{i:D6}", $$"""{"token":"{{NodeToken}}","pattern":"{{Org}}/p","arch":"amd64"}""", owner);
                }
            })));
            var registrationsPerSecond = nodes / registration.Elapsed.TotalSeconds;
            var registrationCpuMs = CpuPerOperation(exchange, ref cpu, nodes);
            var registrationLoad = BenchResult.LoadAverage();
            Console.WriteLine($"[{provider}] {registrationsPerSecond:N0} registrations/s, {registrationCpuMs:F2} ms exchange CPU each (load average {registrationLoad})");

            // Two passes over every page: the first meets a cold server (code still being compiled by
            // the JIT tiers), the second is the steady state of an exchange that has been serving agbots.
            // The exchange's CPU per page of each pass as well: on a shared machine the latencies carry
            // other processes' scheduling, the CPU the compilation the first pass still pays.
            cpu = exchange.CpuTime;
            (await SendAsync(http, HttpMethod.Post, $"orgs/{Org}/patterns/p/search", """{"limit":10}""", root)).Dispose();
            var cold = await SearchAllPagesAsync(http, root, nodes, exchange);
            var coldCpuMs = CpuPerOperation(exchange, ref cpu, cold.Count);
            var latencies = await SearchAllPagesAsync(http, root, nodes, exchange);
            var searchCpuMs = CpuPerOperation(exchange, ref cpu, latencies.Count);
            var searchLoad = BenchResult.LoadAverage();
            Console.WriteLine($"[{provider}] searched {cold.Count} pages cold: p50 {Percentile(cold, 0.50):F1} ms, p99 {Percentile(cold, 0.99):F1} ms, max {cold.Max():F1} ms, {coldCpuMs:F1} ms exchange CPU per page; slowest {Slowest(cold)}");
            Detail(provider, "first pass", cold);
            Console.WriteLine($"[{provider}] searched {latencies.Count} pages warm: p50 {Percentile(latencies, 0.50):F1} ms, p99 {Percentile(latencies, 0.99):F1} ms, {searchCpuMs:F1} ms exchange CPU per page (load average {searchLoad}); slowest {Slowest(latencies)}");

            // The first pass above follows 100,000 registrations, which already ran the code and filled the
            // caches. An exchange that restarts under a fleet meets agbots with nothing warm but the
            // kernel's file cache: restart it on the same database and page through once more.
            Detail(provider, "warm pass", latencies);
            var restart = Stopwatch.StartNew();
            exchange = await exchange.RestartAsync();
            var restartMs = restart.Elapsed.TotalMilliseconds;
            cpu = exchange.CpuTime;
            var restarted = await SearchAllPagesAsync(http, root, nodes, exchange);
            var restartedCpuMs = CpuPerOperation(exchange, ref cpu, restarted.Count);
            var restartedWarm = await SearchAllPagesAsync(http, root, nodes, exchange);
            var restartedWarmCpuMs = CpuPerOperation(exchange, ref cpu, restartedWarm.Count);
            var restartLoad = BenchResult.LoadAverage();
            Console.WriteLine($"[{provider}] restarted on the same database, ready after {restartMs:F0} ms (stopped, started, /readyz 200)");
            Console.WriteLine($"[{provider}] searched {restarted.Count} pages first after the restart: p50 {Percentile(restarted, 0.50):F1} ms, p99 {Percentile(restarted, 0.99):F1} ms, max {restarted.Max():F1} ms, {restartedCpuMs:F1} ms exchange CPU per page; slowest {Slowest(restarted)}");
            Console.WriteLine($"[{provider}] searched {restartedWarm.Count} pages second after the restart: p50 {Percentile(restartedWarm, 0.50):F1} ms, p99 {Percentile(restartedWarm, 0.99):F1} ms, max {restartedWarm.Max():F1} ms, {restartedWarmCpuMs:F1} ms exchange CPU per page (load average {restartLoad}); slowest {Slowest(restartedWarm)}");

            Detail(provider, "first pass after the restart", restarted);
            Detail(provider, "second pass after the restart", restartedWarm);

            var beaters = Math.Min(HeartbeatNodes, nodes);
            var headers = Enumerable.Range(0, beaters).Select(i => Header(Org, $"n{i:D6}", NodeToken)).ToArray();
            Console.WriteLine($"[{provider}] warming the credential cache for {beaters:N0} nodes...");
            var warm = -1;
            await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref warm)) < beaters)
                {
                    await SendAsync(http, HttpMethod.Post, $"{exchange.Url}orgs/{Org}/nodes/n{i:D6}/heartbeat", null, headers[i]);
                }
            })));
            Console.WriteLine($"[{provider}] heartbeating for {heartbeatSeconds} s with {Concurrency * 2} connections...");
            long beats = 0, errors = 0;
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(heartbeatSeconds));
            cpu = exchange.CpuTime;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, Concurrency * 2).Select(w => Task.Run(async () =>
            {
                var i = w;
                while (!stop.IsCancellationRequested)
                {
                    var n = i % beaters;
                    using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(exchange.Url, $"orgs/{Org}/nodes/n{n:D6}/heartbeat"));
                    request.Headers.Authorization = headers[n];
                    using var response = await http.SendAsync(request);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref beats);
                    }
                    else
                    {
                        Interlocked.Increment(ref errors);
                    }
                    i += Concurrency * 2;
                }
            })));
            var heartbeatsPerSecond = beats / clock.Elapsed.TotalSeconds;
            var heartbeatCpuMs = CpuPerOperation(exchange, ref cpu, Math.Max(1, beats));
            var heartbeatLoad = BenchResult.LoadAverage();
            Console.WriteLine($"[{provider}] {heartbeatsPerSecond:N0} heartbeats/s ({errors} errors), {heartbeatCpuMs:F3} ms exchange CPU each (load average {heartbeatLoad})");
            return new BenchResult(provider, nodes, registrationsPerSecond, registrationCpuMs, Percentile(latencies, 0.50), Percentile(latencies, 0.99),
                searchCpuMs, latencies.Count, heartbeatsPerSecond, heartbeatCpuMs, errors,
                registrationLoad, searchLoad, heartbeatLoad, Percentile(cold, 0.50), Percentile(cold, 0.99), coldCpuMs,
                Percentile(restarted, 0.50), Percentile(restarted, 0.99), restartedCpuMs, Percentile(restartedWarm, 0.50), Percentile(restartedWarm, 0.99),
                restartedWarmCpuMs, restartLoad);
        }
        finally
        {
            if (exchange is not null)
            {
                await exchange.DisposeAsync();
            }
            if (postgres is not null)
            {
                await postgres.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Pages through the whole pattern search 1,000 at a time; the latency of each page, in page order, with its time to
    /// the headers and the exchange's and the bench's CPU (read between pages, outside the timed part), the threads of
    /// the exchange that ran on page 0, and the exchange's GCs over the pass.
    /// </summary>
    private static async Task<PageLatencies> SearchAllPagesAsync(HttpClient http, AuthenticationHeaderValue root, int nodes, ExchangeProcess exchange)
    {
        var latencies = new PageLatencies();
        var gcs = await GcCounts.ReadAsync(http, exchange.Url);
        var self = Environment.ProcessId;
        string? cursor = null;
        var found = 0;
        do
        {
            var exchangeCpu = ProcessCpu.Threads(exchange.Id);
            var benchCpu = ProcessCpu.Threads(self);
            var started = Stopwatch.GetTimestamp();
            var body = cursor is null ? """{"limit":1000}""" : $$"""{"limit":1000,"cursor":"{{cursor}}"}""";
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(exchange.Url, $"orgs/{Org}/patterns/p/search"))
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = root;
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            var headers = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            response.EnsureSuccessStatusCode();
            // The whole body first, then the bench's own reading of it: what the exchange took ends at the last byte.
            await response.Content.LoadIntoBufferAsync();
            var lastByte = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var page = await response.Content.ReadFromJsonAsync(ExchangeJsonContext.Default.NodeSearchResponse);
            var total = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var exchangeAfter = ProcessCpu.Threads(exchange.Id);
            latencies.Add(total, headers, lastByte, ProcessCpu.MillisecondsBetween(exchangeCpu, exchangeAfter), ProcessCpu.MillisecondsBetween(benchCpu, ProcessCpu.Threads(self)));
            if (latencies.Count == 1)
            {
                latencies.FirstPageThreads = ProcessCpu.Busiest(exchangeCpu, exchangeAfter, 0.5);
            }
            found += page!.Nodes.Count;
            cursor = page.Cursor;
        }
        while (cursor is not null);
        if (found != nodes)
        {
            throw new InvalidOperationException($"pattern search found {found} nodes, expected {nodes}");
        }
        latencies.Gcs = await GcCounts.ReadAsync(http, exchange.Url) - gcs;
        latencies.Seal();
        return latencies;
    }

    // What page 0 paid against the other pages, and the pass's GCs: where a first page's time went.
    private static void Detail(string provider, string pass, PageLatencies pages) =>
        Console.WriteLine($"[{provider}]   {pass}: {pages.Describe(0)}; exchange threads on page 0: {pages.FirstPageThreads}; " +
            $"{pages.DescribeRest()}; {pages.Gcs}");

    private static double CpuPerOperation(ExchangeProcess exchange, ref TimeSpan since, long operations)
    {
        var now = exchange.CpuTime;
        var perOperation = (now - since).TotalMilliseconds / operations;
        since = now;
        return perOperation;
    }

    private static double Percentile(PageLatencies pages, double p) => pages.Sorted[Math.Min(pages.Count - 1, (int)Math.Ceiling(p * pages.Count) - 1)];

    // The three slowest pages with their place in the pass: one-time costs land on the first pages, noise anywhere.
    private static string Slowest(PageLatencies pages) => string.Join(", ", pages.InOrder
        .Select((ms, page) => (ms, page)).OrderByDescending(p => p.ms).Take(3).Select(p => $"page {p.page} {p.ms:F1} ms"));

    private static AuthenticationHeaderValue Header(string org, string id, string token) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{org}/{id}:{token}")));

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string? json, AuthenticationHeaderValue auth)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = auth;
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync();
            response.Dispose();
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {body}");
        }
        return response;
    }
}
