using System.Collections.Concurrent;
using Horizon.Agreements;
using Horizon.NodeAgent.Engine;
using Horizon.NodeAgent.Hosting;
using Horizon.NodeAgent.State;
using Horizon.NodeAgent.Telemetry;
using Horizon.NodeAgent.Workloads;

namespace Horizon.NodeAgent.Supervision;

/// <summary>
/// Besides reacting to events, compares desired with actual on a jittered timer: for every running
/// agreement, its containers (there, running, pinned image, labels, networks) and networks. An
/// event lost while the engine or the agent was away (a container stopped by an engine restart, a
/// network removed by hand) would otherwise leave drift nothing corrects. Drift seen on two passes
/// in a row — the supervisor had a whole interval to act on its events — is repaired the way the
/// supervisor repairs a crash: put back within the agreement's retry budget, and past it the
/// agreement ends with 103 (its own service) or 108 (a dependency) and the agbot is told.
/// </summary>
public sealed partial class WorkloadReconciler(
    WorkloadRunner runner,
    AgreementLifecycle lifecycle,
    AgreementStore store,
    EventLog eventLog,
    RegistryLogins logins,
    SupervisionOptions supervision,
    ReconcileOptions options,
    TimeProvider timeProvider,
    ILogger<WorkloadReconciler> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, RetryBudget> _budgets = new(StringComparer.Ordinal);

    // Drift of the previous pass by agreement: repaired only when the next pass finds it again.
    private Dictionary<string, HashSet<string>> _seen = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(options.NextDelay(Random.Shared.NextDouble()), timeProvider, stoppingToken);
                await ReconcileOnceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One pass over every running agreement; returns how many agreements were repaired or given up.</summary>
    public async Task<int> ReconcileOnceAsync(CancellationToken cancellationToken = default)
    {
        var seen = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var acted = 0;
        foreach (var record in (await store.ListAsync(cancellationToken)).Where(r => r.State == AgreementState.Running))
        {
            try
            {
                var drift = await runner.FindDriftAsync(record.Id, cancellationToken);
                if (drift.Count == 0)
                {
                    continue;
                }
                var subjects = drift.Select(d => d.Subject).ToHashSet(StringComparer.Ordinal);
                seen[record.Id] = subjects;
                if (!_seen.TryGetValue(record.Id, out var before) || !before.Overlaps(subjects))
                {
                    Log.DriftSeen(logger, record.Id, drift.Count);
                    continue;
                }
                acted++;
                await RepairOrGiveUpAsync(record, drift, cancellationToken);
                seen.Remove(record.Id);
            }
            catch (EngineException e)
            {
                Log.PassFailed(logger, record.Id, e.Message);
            }
        }
        _seen = seen;
        return acted;
    }

    private async Task RepairOrGiveUpAsync(AgreementRecord record, IReadOnlyList<WorkloadDrift> drift, CancellationToken cancellationToken)
    {
        var what = string.Join("; ", drift);
        var budget = _budgets.GetOrAdd(record.Id, _ => new RetryBudget(
            record.Terms.Retries > 0 ? record.Terms.Retries : supervision.DefaultRetries,
            record.Terms.RetryDurations > 0 ? TimeSpan.FromSeconds(record.Terms.RetryDurations) : supervision.DefaultRetryWindow));
        if (!budget.TryConsume(timeProvider.GetUtcNow(), out var attempt))
        {
            _budgets.TryRemove(record.Id, out _);
            var reason = drift.Any(d => d.TopLevel) ? CancelReason.ContainerFailure : CancelReason.DependencyFailure;
            await lifecycle.FailAsync(record.Id, reason, $"drifted again after {budget.Retries} repairs within {budget.Window.TotalSeconds:0} s: {what}", cancellationToken);
            return;
        }
        await eventLog.RecordAsync(record.Id, "reconcile.drift", $"repair {attempt} of {budget.Retries}: {what}", cancellationToken: cancellationToken);
        try
        {
            await runner.RepairAsync(record.Id, drift, logins.Credentials, cancellationToken);
        }
        catch (WorkloadStartException e)
        {
            await lifecycle.FailAsync(record.Id, e.Reason, $"the drifted workload cannot be put back: {e.Message}", cancellationToken);
            return;
        }
        foreach (var kind in drift.Select(d => d.Kind).Distinct(StringComparer.Ordinal))
        {
            NodeAgentMetrics.RecordDriftRepaired(kind);
        }
        await eventLog.RecordAsync(record.Id, "reconcile.repaired", what, cancellationToken: cancellationToken);
        Log.Repaired(logger, record.Id, what);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9135, Level = LogLevel.Information, Message = "Agreement {AgreementId}: {Count} difference(s) from the plan; repaired if the next pass sees them too")]
        public static partial void DriftSeen(ILogger logger, string agreementId, int count);

        [LoggerMessage(EventId = 9136, Level = LogLevel.Warning, Message = "Agreement {AgreementId}: drift repaired: {Drift}")]
        public static partial void Repaired(ILogger logger, string agreementId, string drift);

        [LoggerMessage(EventId = 9137, Level = LogLevel.Warning, Message = "Agreement {AgreementId}: the reconcile pass could not ask the engine: {Error}")]
        public static partial void PassFailed(ILogger logger, string agreementId, string error);
    }
}
