using System.Diagnostics.Metrics;
using Horizon.Agbot.Hosting;
using Horizon.Agbot.Negotiation;
using Horizon.Agbot.Storage;
using Horizon.Exchange.Client;
using Horizon.Hosting.Telemetry;

namespace Horizon.Agbot.Telemetry;

/// <summary>
/// Counts the agbot's agreements by workload and state, and its rollouts' members by outcome, every
/// <see cref="Interval"/>, for the gauges of meter <c>Horizon.Agbot</c>. A scrape reads the last
/// count instead of querying the store, so its cost does not grow with the fleet.
/// </summary>
public sealed partial class AgbotCensus : BackgroundService
{
    /// <summary>How often the store is counted: well inside a 15 s scrape interval.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly IAgreementStore _store;
    private readonly AgbotOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<AgbotCensus> _logger;
    private readonly ExchangeClient _exchange;
    private volatile Snapshot _last = new([], [], []);
    private string _reported = "";

    public AgbotCensus(IAgreementStore store, NegotiationBacklog backlog, AgbotOptions options, ExchangeClient exchange, IMeterFactory meters,
        TimeProvider time, ILogger<AgbotCensus> logger)
    {
        _store = store;
        _exchange = exchange;
        _options = options;
        _time = time;
        _logger = logger;
        var meter = meters.Create(HorizonMeters.Agbot);
        meter.CreateObservableGauge("horizon.agbot.agreements", () => _last.Agreements.Select(c =>
                new Measurement<long>(c.Count, new("workload", c.Workload), new("state", c.State.ToString().ToLowerInvariant()))),
            "{agreement}", "The agbot's agreements by workload and state (cancelled ones stay in its history)");
        meter.CreateObservableGauge("horizon.agbot.backlog", () => backlog.Count, "{node}", "Nodes waiting to be evaluated and proposed to");
        meter.CreateObservableGauge("horizon.agbot.rollout.batch", () => _last.Rollouts.Select(r =>
                new Measurement<int>(r.Batch, new("workload", r.Workload), new("version", r.Version), new("state", r.State.ToString().ToLowerInvariant()))),
            "{batch}", "The batch each rollout is on (from 1), by workload, target version and rollout state");
        meter.CreateObservableGauge("horizon.agbot.rollout.members", () => CurrentBatchMembers(_last),
            "{agreement}", "Agreements in each rollout's current batch, by outcome (pending, accepted, refused, timedout, gone, rollingback, rolledback, rollbackfailed)");
    }

    /// <summary>The last count; empty until the first pass.</summary>
    public Snapshot Last => _last;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, _time);
        do
        {
            try
            {
                _last = new Snapshot(
                    await _store.CountAgreementsAsync(_options.Identity, stoppingToken),
                    await _store.ListRolloutsAsync(_options.Identity, stoppingToken),
                    await _store.CountRolloutMembersAsync(_options.Identity, stoppingToken));
                await ReportRolloutsAsync(_last, stoppingToken);
            }
            catch (System.Data.Common.DbException e)
            {
                LogCountFailed(e.Message);
            }
            catch (Exception e) when (e is ExchangeException or HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
            {
                LogReportFailed(e.Message);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private async Task ReportRolloutsAsync(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var report = RolloutReport(snapshot);
        var agreements = AgreementReport(snapshot);
        var fingerprint = string.Join('\n', report.Select(r => $"{r.Workload} {r.Version} {r.State} {r.Batch} {r.Pending} {r.Accepted} {r.Refused} {r.TimedOut} {r.RolledBack}")
            .Concat(agreements.Select(a => $"{a.Workload} {a.State} {a.Count}")));
        if (fingerprint == _reported)
        {
            return;
        }
        await _exchange.PutAgbotRolloutsAsync(_options.Org, _options.Id, new AgbotRollouts { Rollouts = report, Agreements = agreements }, cancellationToken);
        _reported = fingerprint;
    }

    /// <summary>Each rollout with the outcomes of its batches so far.</summary>
    public static IReadOnlyList<AgbotRollout> RolloutReport(Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return [.. snapshot.Rollouts.OrderBy(r => r.Workload, StringComparer.Ordinal).ThenBy(r => r.Version, StringComparer.Ordinal).Select(rollout =>
        {
            var members = snapshot.Members.Where(m => m.Workload == rollout.Workload && m.Version == rollout.Version).ToList();
            long Count(params UpdateOutcome[] outcomes) => members.Where(m => outcomes.Contains(m.Outcome)).Sum(m => m.Count);
            return new AgbotRollout
            {
                Workload = rollout.Workload,
                Version = rollout.Version,
                State = rollout.State.ToString().ToLowerInvariant(),
                Batch = rollout.Batch,
                Pending = Count(UpdateOutcome.Pending),
                Accepted = Count(UpdateOutcome.Accepted),
                Refused = Count(UpdateOutcome.Refused),
                TimedOut = Count(UpdateOutcome.TimedOut),
                RolledBack = Count(UpdateOutcome.RollingBack, UpdateOutcome.RolledBack, UpdateOutcome.RollbackFailed),
                UpdatedAt = rollout.UpdatedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            };
        })];
    }

    /// <summary>The agreement counts of the report: one per workload and state, in a stable order.</summary>
    public static IReadOnlyList<AgbotAgreementCount> AgreementReport(Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return [.. snapshot.Agreements
            .OrderBy(c => c.Workload, StringComparer.Ordinal).ThenBy(c => c.State)
            .Select(c => new AgbotAgreementCount { Workload = c.Workload, State = c.State.ToString().ToLowerInvariant(), Count = c.Count })];
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static IEnumerable<Measurement<long>> CurrentBatchMembers(Snapshot snapshot) =>
        from rollout in snapshot.Rollouts
        join member in snapshot.Members on (rollout.Workload, rollout.Version, rollout.Batch) equals (member.Workload, member.Version, member.Batch)
        select new Measurement<long>(member.Count, new("workload", member.Workload), new("version", member.Version),
            new("outcome", member.Outcome.ToString().ToLowerInvariant()));

    [LoggerMessage(EventId = 8650, Level = LogLevel.Warning, Message = "Counting agreements for metrics failed; the gauges keep the last count: {Error}")]
    private partial void LogCountFailed(string error);

    [LoggerMessage(EventId = 8602, Level = LogLevel.Warning, Message = "The exchange did not take the rollout report; it is sent again on the next pass: {Error}")]
    private partial void LogReportFailed(string error);

    /// <summary>One count of the store.</summary>
    public sealed record Snapshot(IReadOnlyList<AgreementCount> Agreements, IReadOnlyList<RolloutRecord> Rollouts, IReadOnlyList<RolloutMemberCount> Members);
}
