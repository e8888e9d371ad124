using System.Diagnostics;
using System.Net;
using Horizon.Chaos.Components;
using Horizon.Chaos.Faults;
using Horizon.Chaos.Reporting;
using Horizon.Exchange.Client;

namespace Horizon.Chaos.Scenarios;

/// <summary>
/// The exchange's SQLite file on a small tmpfs that a ballast file fills. While the disk is full a
/// write must fail with a clear error (507, saying the storage is full) or succeed for real, reads
/// must go on, nothing reported failed may be stored; once the ballast is deleted writes work again
/// without a restart, and the file is intact before and after one.
/// </summary>
public sealed class ExchangeDiskFullScenario(int diskMegabytes = 16) : IScenario
{
    private const int SeedNodes = 20;

    public string Name => "exchange-disk-full";

    public async Task RunAsync(ChaosReport report, CancellationToken cancellationToken)
    {
        using var disk = await SmallDisk.MountAsync(diskMegabytes, cancellationToken);
        var sqlitePath = Path.Combine(disk.Path, "exchange.db");
        await using var exchange = ExchangeInstance.OnSqlite("exchange", sqlitePath, "chaos-root-" + Guid.NewGuid().ToString("N"));
        await exchange.StartAsync(cancellationToken);
        using (var root = exchange.Client(exchange.Root))
        {
            await ExchangeChecks.CreateOrgAsync(root, cancellationToken);
        }
        using var admin = exchange.Client(ExchangeChecks.Admin);
        var acknowledged = new List<string>();
        var refused = new List<string>();
        var next = 0;
        for (; next < SeedNodes; next++)
        {
            await PutAsync(admin, next, cancellationToken);
            acknowledged.Add(WriteLoad.NodeId(next));
        }

        var fault = Stopwatch.StartNew();
        var ballast = await disk.FillAsync(cancellationToken);
        report.Note(Name, $"filled the {diskMegabytes} MB disk with {ballast / 1024} KiB of ballast; {disk.FreeBytes} bytes left");
        var violations = new List<string>();
        ExchangeException? firstRefusal = null;
        var clearRefusals = 0;
        // Writes go on until the database cannot grow, then a few more to see the refusal repeat.
        var afterFull = 0;
        while (fault.Elapsed < TimeSpan.FromSeconds(40) && afterFull < 5)
        {
            var id = WriteLoad.NodeId(next);
            try
            {
                await PutAsync(admin, next, cancellationToken);
                acknowledged.Add(id);
            }
            catch (ExchangeException e)
            {
                refused.Add(id);
                firstRefusal ??= e;
                afterFull++;
                if (e.StatusCode == HttpStatusCode.InsufficientStorage && Mentions(e.Message, "space", "full", "disk"))
                {
                    clearRefusals++;
                }
                else
                {
                    violations.Add($"a write on a full disk answered {(int)e.StatusCode}: {e.Message}");
                }
            }
            next++;
        }
        if (firstRefusal is null)
        {
            violations.Add($"the disk never filled: {acknowledged.Count - SeedNodes} writes after the ballast all succeeded");
        }
        else
        {
            report.Note(Name, $"full disk after {acknowledged.Count - SeedNodes} more writes; the exchange said: {firstRefusal.Message}");
        }
        try
        {
            await admin.GetNodeAsync(ExchangeChecks.Org, WriteLoad.NodeId(0), cancellationToken);
        }
        catch (Exception e) when (e is ExchangeException or HttpRequestException)
        {
            violations.Add($"a read on a full disk failed: {e.Message}");
        }

        disk.Free();
        var lasted = fault.Elapsed;
        var freedAt = next;
        var converged = await Convergence.MeasureAsync(async ct =>
        {
            await PutAsync(admin, freedAt, ct);
            return true;
        }, ChaosReport.ConvergenceLimit, cancellationToken);
        if (converged is not null)
        {
            acknowledged.Add(WriteLoad.NodeId(freedAt));
        }
        violations.AddRange(await CheckStoredAsync(admin, acknowledged, refused, report, "with space back", cancellationToken));
        var integrity = await ExchangeChecks.IntegrityAsync(sqlitePath, cancellationToken);
        if (integrity != "ok")
        {
            violations.Add($"SQLite integrity_check after the full disk: {integrity}");
        }
        report.Add(new FaultOutcome(Name, "exchange disk full (SQLite)",
            $"{diskMegabytes} MB tmpfs filled; {clearRefusals} clear refusal(s)", lasted, converged, violations));

        // A restart must find the same file, intact.
        await exchange.KillAsync();
        await exchange.StartAsync(cancellationToken);
        foreach (var violation in await CheckStoredAsync(admin, acknowledged, refused, report, "after a restart", cancellationToken))
        {
            report.Violation(Name, violation);
        }
    }

    private static Task PutAsync(ExchangeClient admin, int index, CancellationToken cancellationToken)
    {
        var id = WriteLoad.NodeId(index);
        // A long name makes each write take whole pages, so the disk fills in a few hundred writes.
        return admin.PutNodeAsync(ExchangeChecks.Org, id, new ExchangeNode { Token = "chaos-token-" + id, Name = id + new string('x', 2000) }, cancellationToken);
    }

    private static async Task<List<string>> CheckStoredAsync(ExchangeClient admin, List<string> acknowledged, List<string> refused,
        ChaosReport report, string when, CancellationToken cancellationToken)
    {
        var listed = await Retry(() => ExchangeChecks.ListNodeIdsAsync(admin, cancellationToken), cancellationToken);
        var violations = ExchangeChecks.CompareWithLedger(acknowledged, listed, report, when);
        var stored = refused.Where(listed.Contains).ToList();
        if (stored.Count > 0)
        {
            violations.Add($"{when}: {stored.Count} write(s) answered as failed were stored anyway, e.g. {stored[0]}");
        }
        return violations;
    }

    private static async Task<T> Retry<T>(Func<Task<T>> read, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await read();
            }
            catch (HttpRequestException) when (attempt < 20)
            {
                await Task.Delay(250, cancellationToken);
            }
        }
    }

    private static bool Mentions(string text, params string[] words) =>
        words.Any(w => text.Contains(w, StringComparison.OrdinalIgnoreCase));
}
