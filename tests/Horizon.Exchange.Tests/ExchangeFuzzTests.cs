using System.Net;
using System.Text;
using Horizon.Exchange.Client;
using Horizon.Exchange.Tests.Support;
using Xunit;

namespace Horizon.Exchange.Tests;

/// <summary>
/// Issue 19: a seeded, bounded fuzzer over every route of the matrix, on loopback. Malformed JSON,
/// wrong types, unknown and duplicate fields, huge and deeply nested bodies, stalled bodies, bad ids
/// and header abuse. Never a 5xx; a refused request moves no change-feed watermark; the server
/// still answers afterwards; and nothing it logged holds a token, a password or a private key.
/// </summary>
public sealed class ExchangeFuzzTests
{
    private const int Seed = 19;
    private const int Requests = 3_000;
    private const int StalledBodies = 12;

    private static readonly string[] BadIds =
        ["..", "%2e%2e", ".", "node1%E2%80%8B", "%E2%80%AEevil", "n%D0%BEde", "%F0%9F%98%80", "a%2Fb", "a%3Ab", "%07bell", "-x", new string('n', 200), "a..b", "%25", "%"];

    private static readonly string[] Values =
        ["1", "-1", "1e308", "true", "null", "\"\"", "\"x\"", "[]", "{}", "[1,2]", "{\"a\":{}}", "\"\\u0000\"", "\"\\ud800\"", "99999999999999999999"];

    [Fact]
    public async Task ThousandsOfMalformedRequests_NeverGet5xx_WriteNothingWhenRefused_LeakNoSecret_AndLeaveTheServerServing()
    {
        var rootPassword = "root-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        // The fuzzer sends wrong credentials by the hundred from one address: with the login throttle on,
        // its later requests would meet 429 before the rule they probe (LoginThrottleTests cover the throttle).
        await using var server = await ExchangeServer.StartAsync(rootPassword: rootPassword,
            settings: new Dictionary<string, string> { ["MaxFailedLogins"] = "1000000" });
        var foreign = await Tenant.CreateAsync(server, "foreign");
        var tenant = await Tenant.CreateAsync(server);
        await tenant.Admin.GrantAgbotAsync(tenant.Org, foreign.Org, "agbot1");
        // Secrets the fuzzer sends, right and wrong, that no log line may hold.
        var secrets = new List<string> { rootPassword };
        for (var i = 0; i < 3; i++)
        {
            var token = "tok-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
            secrets.Add(token);
            server.LogScan.AddCredential(tenant.Org, $"fz{i}", token);
            await tenant.Admin.PutNodeAsync(tenant.Org, $"fz{i}", new ExchangeNode { Token = token });
        }
        var random = new Random(Seed);
        var rows = RouteMatrixTests.Rows;
        var failures = new List<string>();
        var counts = new Dictionary<int, int>();
        using var http = server.Http();
        var root = server.Root;

        for (var n = 0; n < Requests; n++)
        {
            var (verb, route, body, _) = rows[random.Next(rows.Count)];
            var path = Path(route, tenant, foreign, random);
            var (mutated, contentType) = Mutate(body, tenant.Org, random);
            var auth = Auth(random, tenant, foreign, secrets, rootPassword);
            var before = (await root.GetStatusAsync()).MostRecentChangeId;
            using var request = new HttpRequestMessage(new HttpMethod(verb), path);
            if (mutated is not null)
            {
                request.Content = new ByteArrayContent(mutated);
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
            if (auth is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", auth);
            }
            if (random.Next(20) == 0)
            {
                request.Headers.TryAddWithoutValidation("X-Junk", new string('h', random.Next(1, 40_000)));
            }
            int status;
            try
            {
                using var response = await http.SendAsync(request);
                status = (int)response.StatusCode;
                if (status >= 500)
                {
                    failures.Add($"{verb} {path} ({mutated?.Length ?? 0} bytes, {contentType}): {status} {await response.Content.ReadAsStringAsync()}");
                }
            }
            catch (HttpRequestException e)
            {
                // Kestrel may close a connection whose request it refused outright (a header too large).
                status = 0;
                _ = e;
            }
            counts[status] = counts.GetValueOrDefault(status) + 1;
            if (status is >= 400 or 0 && (await root.GetStatusAsync()).MostRecentChangeId != before)
            {
                failures.Add($"{verb} {path}: refused with {status}, yet the change feed moved");
            }
        }

        // Stalled bodies, all at once: each is answered 408 after the body timeout, never 500. On an org
        // of their own: the fuzzed requests may have changed the tenant's passwords or removed its nodes.
        var staller = await Tenant.CreateAsync(server, "stall");
        var stalled = await Task.WhenAll(Enumerable.Range(0, StalledBodies).Select(i => RawHttp.SendAsync(server.BaseUrl,
            $"PUT /v1/orgs/{staller.Org}/nodes/node1 HTTP/1.1\r\nHost: x\r\n{RawHttp.Authorization(staller.Org, "admin", Tenant.Password)}\r\nContent-Type: application/json\r\nContent-Length: {1000 + i}",
            Encoding.ASCII.GetBytes("""{"arch":"""))));
        failures.AddRange(stalled.Where(s => s.Status is not (400 or 408)).Select(s => $"stalled body: {s.Status} {s.Body}"));

        using (var version = await http.GetAsync("admin/version"))
        {
            Assert.Equal(HttpStatusCode.OK, version.StatusCode);
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {Requests + StalledBodies} requests failed:\n" + string.Join('\n', failures.Take(40)));
        // The fuzzer's valid requests may have deleted the tenant itself; a new org shows the server still writes.
        await root.PutOrgAsync("afterfuzz", new ExchangeOrg { Label = "after the fuzzer" });
        await root.PutNodeAsync("afterfuzz", "n1", new ExchangeNode { Token = "t-after" });
        // Every line, at every level, was scanned for the secrets above (and every client's Basic header).
        Assert.True(server.LogScan.Lines > Requests, $"the exchange logged only {server.LogScan.Lines} lines: the scan proves nothing");
        Assert.True(server.LogScan.Leaks.Count == 0, "log lines holding a secret:\n" + string.Join('\n', server.LogScan.Leaks.Take(5)));
        Assert.True(counts.Keys.Count(k => k is >= 400 and < 500) >= 4, "the fuzzer should have drawn several kinds of refusal: " + string.Join(", ", counts.Select(c => $"{c.Key}×{c.Value}")));
    }

    private static string Path(string route, Tenant tenant, Tenant foreign, Random random)
    {
        var path = route.TrimStart('/')["v1/".Length..]
            .Replace("{org}", tenant.Org, StringComparison.Ordinal).Replace("{username}", "user", StringComparison.Ordinal)
            .Replace("{agreementId}", "ag1", StringComparison.Ordinal).Replace("{servedId}", "s1", StringComparison.Ordinal)
            .Replace("{agbotOrg}", foreign.Org, StringComparison.Ordinal).Replace("{agbotId}", "agbot1", StringComparison.Ordinal)
            .Replace("{service}", "svc_1.0.0_amd64", StringComparison.Ordinal).Replace("{pattern}", "pat1", StringComparison.Ordinal)
            .Replace("{policy}", "pol1", StringComparison.Ordinal)
            .Replace("{id}", route.Contains("/agbots/", StringComparison.Ordinal) ? "agbot1" : "node1", StringComparison.Ordinal);
        if (random.Next(4) == 0)
        {
            // A bad id in place of one segment (not "v1").
            var segments = path.Split('/');
            segments[random.Next(segments.Length)] = BadIds[random.Next(BadIds.Length)];
            path = string.Join('/', segments);
        }
        return path;
    }

    private static (byte[]? Body, string ContentType) Mutate(string? body, string org, Random random)
    {
        var valid = (body ?? "{}").Replace("{org}", org, StringComparison.Ordinal);
        var json = "application/json";
        return random.Next(12) switch
        {
            0 => (Encoding.UTF8.GetBytes(valid[..random.Next(valid.Length)]), json),                        // cut short: malformed
            1 => (RandomBytes(random, random.Next(1, 200)), json),                                           // not JSON at all
            2 => (Encoding.UTF8.GetBytes(valid.Replace(":\"", ":" + Values[random.Next(Values.Length)] + ",\"x\":\"", StringComparison.Ordinal)), json), // wrong types, unknown field
            3 => (Encoding.UTF8.GetBytes(valid.Length > 2 ? "{\"a\":1,\"a\":2," + valid[1..] : "{\"a\":1,\"a\":2}"), json),       // duplicate keys
            4 => (Encoding.UTF8.GetBytes("{\"surprise\":" + Values[random.Next(Values.Length)] + (valid.Length > 2 ? "," + valid[1..] : "}")), json),
            5 => (Encoding.UTF8.GetBytes("{\"x\":\"" + new string('x', 2 * 1024 * 1024) + "\"}"), json),    // over the size limit
            6 => (Encoding.UTF8.GetBytes(new string('[', 5_000) + new string(']', 5_000)), json),            // deep nesting
            7 => (Encoding.UTF8.GetBytes(valid), random.Next(2) == 0 ? "text/plain" : "application/x-www-form-urlencoded"), // wrong type
            8 => (Encoding.UTF8.GetBytes(valid), "application/json; charset=utf-7"),
            9 => (Encoding.UTF8.GetBytes("[" + valid + "]"), json),
            10 => (null, json),
            _ => (Encoding.UTF8.GetBytes(valid), json),                                                      // as the matrix sends it
        };
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string? Auth(Random random, Tenant tenant, Tenant foreign, List<string> secrets, string rootPassword)
    {
        static string Basic(string text) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
        return random.Next(12) switch
        {
            0 => null,
            1 => "Basic !!!not-base64!!!",
            2 => Basic("no-slash-or-colon"),
            3 => Basic($"{tenant.Org}/admin:{secrets[1 + random.Next(secrets.Count - 1)]}"),   // a real token, for the wrong identity
            4 => Basic($"{tenant.Org}/fz0:{secrets[1]}"),                                      // a node with its token
            5 => Basic($"root/root:{rootPassword}"),
            6 => "Bearer " + secrets[random.Next(secrets.Count)],
            7 => Basic($"{foreign.Org}/agbot1:{Tenant.Password}"),
            8 => Basic($"{tenant.Org}/user:{Tenant.Password}"),
            9 => Basic($"{tenant.Org}/node1:{Tenant.Password}"),
            10 => Basic($"{tenant.Org}/agbot1:{Tenant.Password}"),
            _ => Basic($"{tenant.Org}/admin:{Tenant.Password}"),
        };
    }
}
