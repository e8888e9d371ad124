using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Horizon.Chaos.Faults;
using Horizon.Chaos.Reporting;
using Horizon.Testing.EndToEnd;
using Horizon.Testing.Processes;
using Microsoft.Data.Sqlite;

namespace Horizon.Chaos.Scenarios;

/// <summary>
/// A real node agent whose state folder is a small tmpfs that a ballast file fills, negotiating with
/// a real agbot through nats-server and the switchboard. The disk is full first while the agbot's
/// proposal arrives, then (the agbot paused meanwhile, so the two steps come apart) while its
/// replyack arrives. Neither may be acknowledged unpersisted: once the ballast is deleted the
/// agreement of that very proposal must form without a restart (the agbot's reply timeout is set
/// far beyond the run, so a lost proposal would show as no agreement, not as a second proposal).
/// Meanwhile the agent must stay up, say in its log that its disk is full, and report it on
/// <c>/readyz</c>; its SQLite files must be intact, also after a restart that re-adopts the workload.
/// </summary>
public sealed class AgentDiskFullScenario(int diskMegabytes = 16, int fullSeconds = 15) : IScenario
{
    private const string Service = "steady";

    public string Name => "agent-disk-full";

    public async Task RunAsync(ChaosReport report, CancellationToken cancellationToken)
    {
        using var disk = await SmallDisk.MountAsync(diskMegabytes, cancellationToken);
        await using var installation = await HorizonInstallation.StartAsync(cancellationToken);
        await using var site = await installation.CreateSiteAsync(cancellationToken);
        await PublishAsync(installation, site, cancellationToken);
        await site.StartNodeAgentAsync(new Dictionary<string, string> { ["NodeAgent__StateDirectory"] = disk.Path }, cancellationToken);
        var register = await site.Hzn.RunAsync(["register", "-n", $"{site.NodeId}:{site.NodeToken}", "-p", Service], cancellationToken: cancellationToken);
        if (!register.Succeeded)
        {
            throw new InvalidOperationException($"hzn register exited {register.ExitCode}: {register.StandardError}\n{site.Diagnostics()}");
        }
        var database = Path.Combine(disk.Path, "agent.db");
        using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{site.NodeAgentPort}"), Timeout = TimeSpan.FromSeconds(10) };

        // 1. The proposal arrives on a full disk.
        var ballast = await disk.FillAsync(cancellationToken);
        report.Note(Name, $"filled the {diskMegabytes} MB state disk with {ballast / 1024} KiB of ballast; {disk.FreeBytes} bytes left");
        var fault = Stopwatch.StartNew();
        // No second proposal within the run: a lost proposal must show as no agreement.
        await site.StartAgbotAsync(new Dictionary<string, string> { ["ReplyTimeout"] = "00:30:00" }, cancellationToken);
        var proposalId = await WaitForAsync("the agbot's proposal", async ct =>
            (await site.AgbotAgreementsAsync(ct)).Select(a => a.GetProperty("id").GetString()).FirstOrDefault(), TimeSpan.FromSeconds(90), cancellationToken);
        report.Note(Name, $"the agbot proposed {proposalId}");
        await Task.Delay(TimeSpan.FromSeconds(fullSeconds), cancellationToken);
        var violations = await WhileFullAsync(report, site, api, database, proposalId, "the proposal", cancellationToken);
        var pid = site.AgbotProcessId ?? throw new InvalidOperationException("the agbot is not running");
        // Paused, the agbot cannot answer the node's reply: the replyack waits until the disk is full again.
        await SignalAsync(pid, "STOP", cancellationToken);
        disk.Free();
        var lasted = fault.Elapsed;
        var persisted = await Convergence.MeasureAsync(async ct => await ReplyPersistedAsync(database, proposalId, ct), ChaosReport.ConvergenceLimit, cancellationToken);
        report.Add(new FaultOutcome(Name, "agent disk full: proposal",
            $"{diskMegabytes} MB tmpfs full for {fullSeconds} s while the proposal arrived; converged = the node persisted it and sent its reply", lasted, persisted, violations));

        // 2. The replyack arrives on a full disk. A second to let the mailbox record the proposal handled.
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        ballast = await disk.FillAsync(cancellationToken);
        report.Note(Name, $"filled the disk again ({ballast / 1024} KiB); resuming the agbot, which now sends its replyack");
        fault.Restart();
        await SignalAsync(pid, "CONT", cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(fullSeconds), cancellationToken);
        violations = await WhileFullAsync(report, site, api, database, proposalId, "the replyack", cancellationToken);
        disk.Free();
        lasted = fault.Elapsed;
        var formed = await Convergence.MeasureAsync(async ct => await AgreementRunsAsync(site, api, proposalId, ct), ChaosReport.ConvergenceLimit, cancellationToken);
        violations.AddRange(await AgbotRecordsAsync(site, proposalId, cancellationToken));
        violations.AddRange(await IntegrityAsync(disk.Path, "with space back", cancellationToken));
        report.Add(new FaultOutcome(Name, "agent disk full: replyack",
            $"{diskMegabytes} MB tmpfs full for {fullSeconds} s while the replyack arrived; converged = agreement {proposalId} runs on both sides", lasted, formed, violations));

        // 3. A restart finds the same files, intact, and re-adopts the workload instead of starting it again.
        var before = await site.RunningContainersAsync(cancellationToken);
        var containerIds = await installation.Docker.RunCheckedAsync(["ps", "-q", "--filter", site.DockerFilter], cancellationToken: cancellationToken);
        await site.StopNodeAgentAsync();
        foreach (var violation in await IntegrityAsync(disk.Path, "after the agent stopped", cancellationToken))
        {
            report.Violation(Name, violation);
        }
        await site.StartNodeAgentAsync(new Dictionary<string, string> { ["NodeAgent__StateDirectory"] = disk.Path }, cancellationToken);
        var again = await Convergence.MeasureAsync(async ct => await AgreementRunsAsync(site, api, proposalId, ct), ChaosReport.ConvergenceLimit, cancellationToken);
        var afterIds = await installation.Docker.RunCheckedAsync(["ps", "-q", "--filter", site.DockerFilter], cancellationToken: cancellationToken);
        if (again is null)
        {
            report.Violation(Name, $"after a restart agreement {proposalId} did not run again within 60 s:\n{site.Diagnostics()}");
        }
        else if (afterIds.Trim() != containerIds.Trim())
        {
            report.Violation(Name, $"after a restart the workload's containers changed ({before.Count} before: {containerIds.Trim()}; now {afterIds.Trim()}): it was started again, not re-adopted");
        }
        else
        {
            report.Note(Name, $"restarted on the same files: agreement {proposalId} still runs in the same container, adopted after {again.Value.TotalSeconds:0.0} s");
        }
    }

    /// <summary>What must hold while the disk is full: the agent up, nothing formed from unpersisted steps, the full disk named.</summary>
    private async Task<List<string>> WhileFullAsync(ChaosReport report, EdgeSite site, HttpClient api, string database, string proposalId, string step, CancellationToken cancellationToken)
    {
        var violations = new List<string>();
        if (!site.NodeAgentRunning)
        {
            violations.Add($"the node agent exited with its disk full while {step} arrived:\n{site.Diagnostics()}");
            return violations;
        }
        var lines = site.NodeAgentOutput.Split('\n');
        var directory = Path.GetDirectoryName(database)!;
        var named = lines.FirstOrDefault(l => l.Contains("state disk is full", StringComparison.OrdinalIgnoreCase) && l.Contains(directory, StringComparison.Ordinal));
        var sqlite = lines.FirstOrDefault(l => l.Contains("disk is full", StringComparison.OrdinalIgnoreCase));
        report.Note(Name, $"while {step} waited, the agent logged: {Shorten(named ?? sqlite ?? "nothing about a full disk")}; " +
            $"mailbox sessions failed and reopened: {lines.Count(l => l.Contains("Mailbox session failed", StringComparison.Ordinal))} (of the last {lines.Length} lines)");
        if (named is null)
        {
            violations.Add($"the node agent's log has no error saying that its state disk ({directory}) is full while {step} arrived:\n{string.Join('\n', lines.TakeLast(30))}");
        }
        using (var ready = await api.GetAsync("/readyz", cancellationToken))
        {
            var body = await ready.Content.ReadAsStringAsync(cancellationToken);
            if (ready.IsSuccessStatusCode || !body.Contains("full", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add($"/readyz answered {(int)ready.StatusCode} with its disk full, without naming it: {body}");
            }
        }
        var agreements = await NodeAgreementsAsync(api, cancellationToken);
        if (agreements.Count > 0)
        {
            violations.Add($"the node shows agreement(s) while {step} could not be persisted: {string.Join(", ", agreements.Select(a => a.GetRawText()))}");
        }
        return violations;
    }

    private static string Shorten(string line) => line.Length <= 400 ? line.Trim() : line[..400].Trim() + " …";

    private static async Task PublishAsync(HorizonInstallation installation, EdgeSite site, CancellationToken cancellationToken)
    {
        var image = await installation.BuildAndPushImageAsync($"{site.Org}/{Service}", "1.0.0",
            """["sh", "-c", "trap \"exit 0\" TERM; while true; do sleep 5 & wait $!; done"]""", cancellationToken: cancellationToken);
        var definition = new JsonObject
        {
            ["org"] = site.Org, ["label"] = Service, ["url"] = Service, ["version"] = "1.0.0", ["arch"] = "amd64",
            ["sharable"] = "multiple", ["public"] = false, ["requiredServices"] = new JsonArray(), ["userInput"] = new JsonArray(),
            ["deployment"] = new JsonObject { ["services"] = new JsonObject { [Service] = new JsonObject { ["image"] = image } } },
        };
        var pattern = new JsonObject
        {
            ["name"] = Service, ["label"] = Service, ["public"] = false, ["userInput"] = new JsonArray(),
            ["services"] = new JsonArray(new JsonObject
            {
                ["serviceUrl"] = Service, ["serviceOrgid"] = site.Org, ["serviceArch"] = "amd64",
                ["serviceVersions"] = new JsonArray(new JsonObject
                {
                    ["version"] = "1.0.0",
                    ["priority"] = new JsonObject { ["priority_value"] = 1, ["retries"] = 1, ["retry_durations"] = 3600 },
                }),
            }),
            ["nodeHealth"] = new JsonObject { ["missing_heartbeat_interval"] = 600, ["check_agreement_status"] = 120 },
        };
        var definitionFile = Path.Combine(site.Folder, "service.definition.json");
        var patternFile = Path.Combine(site.Folder, "pattern.json");
        await File.WriteAllTextAsync(definitionFile, definition.ToJsonString(), cancellationToken);
        await File.WriteAllTextAsync(patternFile, pattern.ToJsonString(), cancellationToken);
        await site.Hzn.RunCheckedAsync(["exchange", "service", "publish", "-f", definitionFile, "-r", site.RegistryAuth], cancellationToken: cancellationToken);
        await site.Hzn.RunCheckedAsync(["exchange", "pattern", "publish", "-f", patternFile], cancellationToken: cancellationToken);
        await site.Hzn.RunCheckedAsync(["exchange", "agbot", "addpattern", site.AgbotId, site.Org, Service], cancellationToken: cancellationToken);
    }

    // Read beside the agent (WAL readers do not block its writer): its accepted proposal is stored and no reply is owed any more.
    private static async Task<bool> ReplyPersistedAsync(string database, string proposalId, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT count(*) FROM proposals WHERE id = $id AND accepted = 1), (SELECT count(*) FROM outbox WHERE agreement_id = $id)";
        command.Parameters.AddWithValue("$id", proposalId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) && reader.GetInt64(0) == 1 && reader.GetInt64(1) == 0;
    }

    private static async Task<bool> AgreementRunsAsync(EdgeSite site, HttpClient api, string proposalId, CancellationToken cancellationToken)
    {
        var node = await NodeAgreementsAsync(api, cancellationToken);
        var agbot = await site.AgbotAgreementsAsync(cancellationToken);
        return node.Count == 1 && node[0].GetProperty("id").GetString() == proposalId && node[0].GetProperty("state").GetString() == "running"
            && agbot.Any(a => a.GetProperty("id").GetString() == proposalId && a.GetProperty("status").GetString() == "active")
            && (await site.RunningContainersAsync(cancellationToken)).Count == 1;
    }

    private static async Task<List<string>> AgbotRecordsAsync(EdgeSite site, string proposalId, CancellationToken cancellationToken)
    {
        var records = await site.AgbotAgreementsAsync(cancellationToken);
        return records.Count == 1 && records[0].GetProperty("id").GetString() == proposalId
            ? []
            : [$"the agbot holds {records.Count} record(s), not just {proposalId}: a step handled on the full disk was lost and negotiated again: {string.Join(", ", records.Select(r => r.GetRawText()))}"];
    }

    private static async Task<List<JsonElement>> NodeAgreementsAsync(HttpClient api, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(await api.GetStringAsync("/agreements", cancellationToken));
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    private static async Task<List<string>> IntegrityAsync(string folder, string when, CancellationToken cancellationToken)
    {
        var violations = new List<string>();
        foreach (var file in new[] { "agent.db", "replay.db", "poison.db" })
        {
            var path = Path.Combine(folder, file);
            if (!File.Exists(path))
            {
                continue;
            }
            var result = await ExchangeChecks.IntegrityAsync(path, cancellationToken);
            if (result != "ok")
            {
                violations.Add($"{when}: SQLite integrity_check of the agent's {file}: {result}");
            }
        }
        return violations;
    }

    private static async Task SignalAsync(int pid, string signal, CancellationToken cancellationToken)
    {
        var result = await CommandLine.RunAsync("kill", ["-s", signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)], cancellationToken: cancellationToken);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"kill -s {signal} {pid}: {result.StandardError.Trim()}");
        }
    }

    private static async Task<T> WaitForAsync<T>(string what, Func<CancellationToken, Task<T?>> read, TimeSpan limit, CancellationToken cancellationToken)
        where T : class
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await read(cancellationToken) is { } value)
                {
                    return value;
                }
            }
            catch (HttpRequestException) when (deadline.Elapsed < limit)
            {
            }
            if (deadline.Elapsed > limit)
            {
                throw new TimeoutException($"no {what} within {limit.TotalSeconds:0} s");
            }
            await Task.Delay(250, cancellationToken);
        }
    }
}
