using System.Diagnostics;
using Horizon.Chaos.Components;
using Horizon.Chaos.Reporting;
using Horizon.Testing;

namespace Horizon.Chaos.Scenarios;

/// <summary>
/// One exchange on SQLite under a steady write load, killed with SIGKILL at moments spread over the
/// load and started again on the same file: every write it acknowledged before a kill is still
/// there, nothing is listed twice, and SQLite finds its file intact.
/// </summary>
public sealed class ExchangeKillScenario(int writes = 300, int kills = 3) : IScenario
{
    public string Name => "exchange-kill";

    public async Task RunAsync(ChaosReport report, CancellationToken cancellationToken)
    {
        using var directory = new TempDirectory("hzn-chaos-exchange");
        var sqlitePath = directory.Combine("exchange.db");
        await using var exchange = ExchangeInstance.OnSqlite("exchange", sqlitePath, "chaos-root-" + Guid.NewGuid().ToString("N"));
        await exchange.StartAsync(cancellationToken);
        using (var root = exchange.Client(exchange.Root))
        {
            await ExchangeChecks.CreateOrgAsync(root, cancellationToken);
        }
        using var admin = exchange.Client(ExchangeChecks.Admin);
        await using var load = WriteLoad.Start(admin, ExchangeChecks.Org, writes, concurrency: 4, pause: TimeSpan.FromMilliseconds(20));
        for (var kill = 1; kill <= kills; kill++)
        {
            var target = writes * kill / (kills + 1);
            var waited = Stopwatch.StartNew();
            while (load.Acknowledged < target && waited.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(20, cancellationToken);
            }
            var fault = Stopwatch.StartNew();
            var acknowledgedBefore = load.AcknowledgedIds;
            await exchange.KillAsync();
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            await exchange.StartAsync(cancellationToken);
            var lasted = fault.Elapsed;
            var restarted = DateTime.UtcNow;
            var converged = await Convergence.MeasureAsync(
                async ct => await ExchangeChecks.AnswersAsync(exchange, ct) && load.AcknowledgedSince(restarted),
                ChaosReport.ConvergenceLimit, cancellationToken);
            var violations = ExchangeChecks.CompareWithLedger(acknowledgedBefore,
                await ExchangeChecks.ListNodeIdsAsync(admin, cancellationToken), report, $"after kill {kill}")
                .Where(v => !v.Contains("nobody wrote", StringComparison.Ordinal)).ToList();
            report.Add(new FaultOutcome(Name, "exchange SIGKILL+restart (SQLite)",
                $"kill {kill}/{kills} after {acknowledgedBefore.Count} acknowledged writes", lasted, converged, violations));
        }
        if (!await load.CompleteAsync(ChaosReport.ConvergenceLimit))
        {
            report.Violation(Name, $"only {load.Acknowledged} of {writes} writes acknowledged after the faults");
        }
        report.Note(Name, $"{load.Errors.Count} write errors reached the client while its only exchange was down (expected; retried)");
        foreach (var violation in ExchangeChecks.CompareWithLedger(load.AcknowledgedIds,
                     await ExchangeChecks.ListNodeIdsAsync(admin, cancellationToken), report, "at the end"))
        {
            report.Violation(Name, violation);
        }
        var integrity = await ExchangeChecks.IntegrityAsync(sqlitePath, cancellationToken);
        if (integrity != "ok")
        {
            report.Violation(Name, $"SQLite integrity_check: {integrity}");
        }
    }
}
