using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Horizon.Exchange.Client;
using Horizon.FleetSim.Fleet;
using Horizon.FleetSim.Options;

namespace Horizon.FleetSim.Enrollment;

/// <summary>
/// <c>fleet-sim --enroll</c>: N devices enroll against a real exchange process serving HTTPS, vouched for by one
/// enrollment certificate and approved by an auto-approval rule: request → approved → certificate issued → the
/// device's first call over mTLS (its own node record, on a new connection presenting the new certificate). Then,
/// on the same exchange: what a TLS handshake with a device certificate costs on the agent routes, and heartbeats
/// over mTLS against heartbeats of token-registered nodes over plain HTTP with Basic credentials.
/// </summary>
internal static class EnrollmentRun
{
    private const string Org = "fleetenroll";

    public static async Task<EnrollmentReport> RunAsync(FleetOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        using var state = new StateFolder(options.StateDirectory);
        await using var exchange = await ExchangeProcess.StartAsync(new Dictionary<string, string>
        {
            [ExchangeHost.HttpsSetting] = "true",
            ["Enrollment:CaDirectory"] = Path.Combine(state.Path, "ca"),
            ["TokenHashIterations"] = options.TokenHashIterations.ToString(CultureInfo.InvariantCulture),
        }, cancellationToken);
        var httpsUrl = exchange.HttpsBaseUrl ?? throw new InvalidOperationException("the exchange process serves no HTTPS");
        var root = exchange.Root;
        await root.PutOrgAsync(Org, new ExchangeOrg { Label = "fleet-sim enrollment", Limits = new OrgLimits { MaxNodes = options.Count * 2 + 1_000 } }, cancellationToken);
        const string adminPassword = "fleet-enroll-admin";
        await root.PutUserAsync(Org, "admin", new ExchangeUser { Password = adminPassword, Admin = true }, cancellationToken);
        var admin = exchange.Client(Org, "admin", adminPassword);
        using var http = exchange.Http();
        var ca = X509Certificate2.CreateFromPem(await http.GetStringAsync("enrollment/ca", cancellationToken));
        using var trustedCa = ca;
        X509Certificate2Collection trust = [ca];

        var (voucherKey, voucherCsr) = EnrollmentCredential.NewOrder("fleet");
        var voucherCertificate = await admin.CreateEnrollmentCertificateAsync(Org, new EnrollmentCertificateOrder { Name = "fleet", Csr = voucherCsr }, cancellationToken);
        using var voucher = new EnrollmentCredential(voucherCertificate.Certificate!, voucherKey);
        await admin.AddEnrollmentRuleAsync(Org, new EnrollmentRule { Name = "fleet", EnrollmentCertificate = "fleet", NodePrefix = "sim-" }, cancellationToken);

        log.WriteLine($"preparing {options.Count} devices (keys, CSR, enrollment proof: each device's own work, not timed)");
        var devices = Enumerable.Range(0, options.Count).AsParallel().AsOrdered().Select(i => SimulatedDevice.Create(i, voucher)).ToList();
        try
        {
            var enrollment = await EnrollAllAsync(devices, httpsUrl, trust, options.RegistrationConcurrency, exchange, log, cancellationToken);
            try
            {
                var handshake = await MeasureHandshakesAsync(enrollment.Enrolled[0], httpsUrl, trust, exchange, cancellationToken);
                var heartbeatNodes = enrollment.Enrolled.Take(Math.Min(enrollment.Enrolled.Count, 256)).ToList();
                var overTls = await HeartbeatsOverTlsAsync(heartbeatNodes, httpsUrl, trust, options.RegistrationConcurrency, options.EnrollHeartbeatFor, exchange, cancellationToken);
                var overHttp = await HeartbeatsOverHttpAsync(admin, heartbeatNodes.Count, exchange, options.RegistrationConcurrency, options.EnrollHeartbeatFor, cancellationToken);
                return new EnrollmentReport(options.Count, options.RegistrationConcurrency, enrollment.Stats, handshake, overTls, overHttp, heartbeatNodes.Count);
            }
            finally
            {
                foreach (var node in enrollment.Enrolled)
                {
                    node.Dispose();
                }
            }
        }
        finally
        {
            foreach (var device in devices)
            {
                device.Dispose();
            }
        }
    }

    private static async Task<(EnrollmentStats Stats, IReadOnlyList<EnrolledNode> Enrolled)> EnrollAllAsync(List<SimulatedDevice> devices, Uri httpsUrl,
        X509Certificate2Collection trust, int concurrency, ExchangeProcess exchange, TextWriter log, CancellationToken cancellationToken)
    {
        // Submissions share one pool of HTTPS connections (the enrollment route takes no client certificate); each first
        // mTLS call opens a connection of its own that presents the device's new certificate.
        using var submitHttp = new HttpClient(ExchangeTls.CreateHandler(trust)) { BaseAddress = httpsUrl };
        var enrolled = new EnrolledNode?[devices.Count];
        var submitMs = new double[devices.Count];
        var firstCallMs = new double[devices.Count];
        var totalMs = new double[devices.Count];
        var next = -1;
        log.WriteLine($"enrolling {devices.Count} devices, {concurrency} at a time");
        var cpuBefore = exchange.CpuTime();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Math.Min(concurrency, devices.Count)).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < devices.Count)
            {
                var started = Stopwatch.GetTimestamp();
                var (node, certificate) = await devices[i].EnrollAsync(submitHttp, Org, cancellationToken);
                var submitted = Stopwatch.GetTimestamp();
                var mtls = new EnrolledNode(node, certificate, httpsUrl, trust);
                await mtls.GetOwnRecordAsync(cancellationToken);
                var done = Stopwatch.GetTimestamp();
                enrolled[i] = mtls;
                submitMs[i] = Stopwatch.GetElapsedTime(started, submitted).TotalMilliseconds;
                firstCallMs[i] = Stopwatch.GetElapsedTime(submitted, done).TotalMilliseconds;
                totalMs[i] = Stopwatch.GetElapsedTime(started, done).TotalMilliseconds;
            }
        }, cancellationToken)));
        var elapsed = clock.Elapsed;
        var cpu = exchange.CpuTime() - cpuBefore;
        Array.Sort(submitMs);
        Array.Sort(firstCallMs);
        Array.Sort(totalMs);
        return (new EnrollmentStats(elapsed, cpu, submitMs, firstCallMs, totalMs), enrolled.Select(e => e!).ToList());
    }

    /// <summary>
    /// One enrolled node's calls on its own record, one at a time: each on a new connection (a full TLS handshake
    /// presenting the device certificate), then as many on one kept connection. The difference is the handshake.
    /// </summary>
    private static async Task<HandshakeStats> MeasureHandshakesAsync(EnrolledNode node, Uri httpsUrl, X509Certificate2Collection trust, ExchangeProcess exchange,
        CancellationToken cancellationToken)
    {
        const int calls = 300;
        for (var i = 0; i < 20; i++)
        {
            using var warm = new EnrolledNode(node.Node, node.Certificate, httpsUrl, trust, ownsCertificate: false);
            await warm.GetOwnRecordAsync(cancellationToken);
            await node.GetOwnRecordAsync(cancellationToken);
        }
        var fresh = new double[calls];
        var cpuBefore = exchange.CpuTime();
        for (var i = 0; i < calls; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var once = new EnrolledNode(node.Node, node.Certificate, httpsUrl, trust, ownsCertificate: false);
            await once.GetOwnRecordAsync(cancellationToken);
            fresh[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        var freshCpu = exchange.CpuTime() - cpuBefore;
        var kept = new double[calls];
        cpuBefore = exchange.CpuTime();
        for (var i = 0; i < calls; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await node.GetOwnRecordAsync(cancellationToken);
            kept[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        var keptCpu = exchange.CpuTime() - cpuBefore;
        Array.Sort(fresh);
        Array.Sort(kept);
        return new HandshakeStats(calls, fresh, kept, freshCpu.TotalMilliseconds / calls, keptCpu.TotalMilliseconds / calls);
    }

    private static async Task<HeartbeatStats> HeartbeatsOverTlsAsync(List<EnrolledNode> nodes, Uri httpsUrl, X509Certificate2Collection trust,
        int concurrency, TimeSpan duration, ExchangeProcess exchange, CancellationToken cancellationToken)
    {
        foreach (var node in nodes)
        {
            await node.HeartbeatAsync(cancellationToken); // every node's connection is open before the clock starts
        }
        return await HeartbeatLoopAsync(nodes.Count, concurrency, duration, exchange, (i, ct) => nodes[i].HeartbeatAsync(ct), cancellationToken);
    }

    private static async Task<HeartbeatStats> HeartbeatsOverHttpAsync(ExchangeClient admin, int count, ExchangeProcess exchange, int concurrency, TimeSpan duration,
        CancellationToken cancellationToken)
    {
        // Token-registered nodes, Open Horizon's way: Basic org/id:token on plain HTTP, one kept connection each.
        var clients = new List<HttpClient>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var id = $"tok-{i:D6}";
                var token = $"fleet-token-{Guid.NewGuid():N}";
                await admin.PutNodeAsync(Org, id, new ExchangeNode { Token = token, Arch = "amd64", Name = id }, cancellationToken);
                var client = exchange.Http();
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Org}/{id}:{token}")));
                clients.Add(client);
                await BeatAsync(client, id, cancellationToken);
            }
            return await HeartbeatLoopAsync(count, concurrency, duration, exchange, (i, ct) => BeatAsync(clients[i], $"tok-{i:D6}", ct), cancellationToken);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    private static async Task BeatAsync(HttpClient client, string id, CancellationToken cancellationToken)
    {
        using var response = await client.PostAsync($"orgs/{Org}/nodes/{id}/heartbeat", null, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"heartbeat of {Org}/{id} over HTTP answered {(int)response.StatusCode}");
        }
    }

    private static async Task<HeartbeatStats> HeartbeatLoopAsync(int nodes, int concurrency, TimeSpan duration, ExchangeProcess exchange,
        Func<int, CancellationToken, Task> beat, CancellationToken cancellationToken)
    {
        long sent = 0;
        var cpuBefore = exchange.CpuTime();
        var clock = Stopwatch.StartNew();
        // Each worker beats for its own nodes (i, i + concurrency, …) in turn, so no node has two calls in flight.
        var workers = Math.Min(concurrency, nodes);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var own = Enumerable.Range(0, nodes).Where(n => n % workers == w).ToArray();
            for (var k = 0; clock.Elapsed < duration; k++)
            {
                await beat(own[k % own.Length], cancellationToken);
                Interlocked.Increment(ref sent);
            }
        }, cancellationToken)));
        var elapsed = clock.Elapsed;
        return new HeartbeatStats(sent, elapsed, (exchange.CpuTime() - cpuBefore).TotalMilliseconds / Math.Max(1, sent));
    }

    /// <summary>The run's own folder (the CA); a temporary one, removed afterwards, unless <c>--state</c> names one.</summary>
    private sealed class StateFolder : IDisposable
    {
        private readonly bool _owned;

        public StateFolder(string? path)
        {
            _owned = string.IsNullOrWhiteSpace(path);
            Path = _owned ? Directory.CreateTempSubdirectory("fleet-enroll-").FullName : Directory.CreateDirectory(path!).FullName;
        }

        public string Path { get; }

        public void Dispose()
        {
            if (_owned)
            {
                Directory.Delete(Path, recursive: true);
            }
        }
    }
}
