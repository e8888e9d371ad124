using System.Diagnostics;
using System.Net;
using Horizon.Chaos.Components;
using Horizon.Chaos.Reporting;
using Horizon.Exchange.Client;
using Horizon.Testing.Network;
using Horizon.Testing.Postgres;

namespace Horizon.Chaos.Scenarios;

/// <summary>
/// Two exchanges on one PostgreSQL database, started at the same moment on an empty database, each
/// behind a TCP relay; one client writes through both URLs (<see cref="ExchangeFailoverHandler"/>).
/// Faults, one at a time during the load: SIGKILL of one exchange then a restart, SIGSTOP of the
/// other for longer than the client waits for an answer, and a cut of the link to the first. The
/// client's caller must never see an error while one exchange is healthy; every acknowledged write
/// is stored once and both exchanges list the same nodes.
/// </summary>
public sealed class ExchangePairScenario : IScenario
{
    // Generous for a loaded machine (one answer can take a second at load 20); a paused exchange is paused longer.
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(8);
    private const int MaxWrites = 50_000;

    public string Name => "exchange-pair";

    public async Task RunAsync(ChaosReport report, CancellationToken cancellationToken)
    {
        await using var postgres = await PostgresServer.StartAsync(cancellationToken);
        var database = await postgres.CreateDatabaseAsync("chaos", cancellationToken);
        var rootPassword = "chaos-root-" + Guid.NewGuid().ToString("N");
        await using var first = ExchangeInstance.OnPostgres("exchange-a", database, rootPassword);
        await using var second = ExchangeInstance.OnPostgres("exchange-b", database, rootPassword);
        // Both at once on an empty database: the schema must be created once, by either.
        await Task.WhenAll(first.StartAsync(cancellationToken), second.StartAsync(cancellationToken));
        await using var firstLink = new TcpRelay(new IPEndPoint(IPAddress.Loopback, first.Port));
        await using var secondLink = new TcpRelay(new IPEndPoint(IPAddress.Loopback, second.Port));
        firstLink.Start();
        secondLink.Start();
        Uri[] endpoints = [new($"http://127.0.0.1:{firstLink.Port}/v1/"), new($"http://127.0.0.1:{secondLink.Port}/v1/")];

        using (var root = new ExchangeClient(endpoints, first.Root))
        {
            await ExchangeChecks.CreateOrgAsync(root, cancellationToken);
        }
        using var http = new HttpClient(new ExchangeFailoverHandler(endpoints) { AttemptTimeout = AttemptTimeout });
        using var admin = new ExchangeClient(http, endpoints[0], ExchangeChecks.Admin);
        // Both exchanges answer once before the load, so start-up (JIT, first connections) is not taken for a fault.
        foreach (var exchange in new[] { first, second })
        {
            using var direct = exchange.Client(ExchangeChecks.Admin);
            await direct.GetOrgAsync(ExchangeChecks.Org, cancellationToken);
        }
        // Until the faults are over: 4 writers, one write each per 100 ms at most.
        await using var load = WriteLoad.Start(admin, ExchangeChecks.Org, MaxWrites, concurrency: 4, pause: TimeSpan.FromMilliseconds(100));
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);

        await InjectAsync(report, load, "exchange SIGKILL+restart (pair on PostgreSQL)", $"{first.Name} killed, restarted after {Outage.TotalSeconds:0} s",
            first, async () =>
            {
                await first.KillAsync();
                await Task.Delay(Outage, cancellationToken);
                await first.StartAsync(cancellationToken);
            }, cancellationToken);
        await InjectAsync(report, load, "exchange SIGSTOP/SIGCONT (pair on PostgreSQL)",
            $"{second.Name} paused {Outage.TotalSeconds:0} s (client waits {AttemptTimeout.TotalSeconds:0} s per exchange)",
            second, async () =>
            {
                second.Pause();
                await Task.Delay(Outage, cancellationToken);
                second.Resume();
            }, cancellationToken);
        await InjectAsync(report, load, "link cut to one exchange (pair)", $"link to {first.Name} cut for {Outage.TotalSeconds:0} s",
            first, async () =>
            {
                await firstLink.StopAsync();
                await Task.Delay(Outage, cancellationToken);
                firstLink.Start();
            }, cancellationToken);

        await load.StopAsync();
        report.Note(Name, $"{load.Acknowledged} writes acknowledged through both URLs");
        report.Count("client errors with one exchange healthy", load.Errors.Count);
        foreach (var (at, id, error) in load.Errors.Take(5))
        {
            report.Violation(Name, $"the client's caller saw an error at {at:HH:mm:ss.fff} writing {id}: {error}");
        }
        foreach (var exchange in new[] { first, second })
        {
            using var direct = exchange.Client(ExchangeChecks.Admin);
            foreach (var violation in ExchangeChecks.CompareWithLedger(load.AcknowledgedIds,
                         await ExchangeChecks.ListNodeIdsAsync(direct, cancellationToken), report, $"listed by {exchange.Name}"))
            {
                report.Violation(Name, violation);
            }
        }
    }

    /// <summary>Runs one fault while the load goes on, then measures until the hurt exchange answers again and writes go on.</summary>
    private async Task InjectAsync(ChaosReport report, WriteLoad load, string kind, string description, ExchangeInstance hurt,
        Func<Task> fault, CancellationToken cancellationToken)
    {
        var errorsBefore = load.Errors.Count;
        var acknowledgedBefore = load.Acknowledged;
        var clock = Stopwatch.StartNew();
        await fault();
        var lasted = clock.Elapsed;
        var ended = DateTime.UtcNow;
        var converged = await Convergence.MeasureAsync(
            async ct => await ExchangeChecks.AnswersAsync(hurt, ct) && (load.AcknowledgedSince(ended) || load.Acknowledged == load.Count),
            ChaosReport.ConvergenceLimit, cancellationToken);
        var violations = new List<string>();
        var written = load.Acknowledged - acknowledgedBefore;
        if (written == 0 && load.Acknowledged < load.Count)
        {
            violations.Add("no write was acknowledged during the fault although the other exchange was healthy");
        }
        var errors = load.Errors.Count - errorsBefore;
        if (errors > 0)
        {
            violations.Add($"{errors} error(s) reached the client's caller during the fault");
        }
        report.Add(new FaultOutcome(Name, kind, $"{description}; {written} writes acknowledged meanwhile", lasted, converged, violations));
    }
}
