using System.Collections.Concurrent;
using Horizon.Agreements;
using Horizon.NodeAgent.Engine;
using Horizon.NodeAgent.Hosting;
using Horizon.NodeAgent.Messaging;
using Horizon.NodeAgent.State;
using Horizon.NodeAgent.Supervision;
using Horizon.NodeAgent.Workloads;

namespace Horizon.NodeAgent.Upgrades;

/// <summary>
/// The node side of docs/upgrades.md: moves a running agreement to new terms without cancelling
/// it. Staged: the new images are pulled and checked while the old version runs; then the old
/// containers stop and the new ones start; a new version that does not come up is removed and
/// the old one started again. Every step is persisted (<see cref="UpgradeStore"/>) before it is
/// taken and recorded in the eventlog; the outcome is one <c>updatereply</c>, owed in the
/// <see cref="NodeOutbox"/> in the same transaction as the outcome.
/// </summary>
public sealed partial class AgreementUpgrader(
    UpgradeStore upgrades,
    AgreementStore agreements,
    AgreementLifecycle lifecycle,
    WorkloadRunner runner,
    ImageFetcher images,
    RegistryLogins logins,
    EventLog eventLog,
    NodeStatusSignal status,
    UpgradeOptions options,
    NodeOutbox outbox,
    TimeProvider timeProvider,
    ILogger<AgreementUpgrader> logger)
{
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);

    /// <summary>
    /// Decides what an update from <paramref name="agbot"/> calls for before anything is touched:
    /// refusals that change nothing (unknown or ended agreement, another agbot's agreement, another
    /// update under way), <c>accepted</c> for the terms already in force, silence for a repeat of
    /// the update under way, or go on.
    /// </summary>
    public UpgradeScreening Screen(string agbot, UpdateAgreement update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var id = update.AgreementId;
        if (!AgreementId.IsValid(id) || agreements.Get(id) is not { IsActive: true } record)
        {
            return Refuse(id, null, $"no agreement {id} is in force on this node");
        }
        if (record.Terms.Agbot.Length > 0 && record.Terms.Agbot != agbot)
        {
            return Refuse(id, null, $"agreement {id} was made with {record.Terms.Agbot}, not {agbot}");
        }
        var terms = update.Terms.Agbot.Length == 0 ? update.Terms with { Agbot = record.Terms.Agbot } : update.Terms;
        if (terms.Agbot != record.Terms.Agbot)
        {
            return Refuse(id, null, $"the new terms name agbot {terms.Agbot}; agreement {id} is with {record.Terms.Agbot}");
        }
        if (upgrades.Get(id) is { Step: not UpgradeStep.Done } underWay)
        {
            return UpgradeStore.Serialize(underWay.NewTerms) == UpgradeStore.Serialize(terms)
                ? UpgradeScreening.AlreadyUnderWay
                : Refuse(id, null, $"an update of agreement {id} is still under way");
        }
        if (UpgradeStore.Serialize(record.Terms) == UpgradeStore.Serialize(terms))
        {
            eventLog.Record(id, "update.unchanged", $"{agbot} sent the terms already in force ({terms.Service.Key}); nothing to do");
            return UpgradeScreening.Answer(new UpdateAgreementReply { AgreementId = id, Accepted = true });
        }
        return UpgradeScreening.Proceed(terms, record.Terms);
    }

    /// <summary>Records an update refused on its terms (policy, signature, pinning); the old version runs on.</summary>
    public UpdateAgreementReply Refused(string agreementId, CancelReason? reason, string message)
    {
        eventLog.Record(agreementId, "update.refused", message, reason);
        Log.Refused(logger, agreementId, reason is { } r ? (int)r : 0, message);
        return new UpdateAgreementReply { AgreementId = agreementId, Accepted = false, Reason = reason is { } code ? (int)code : null, Message = message };
    }

    /// <summary>
    /// Persists the update and stages it beside the running version; returns at once. The outcome
    /// is stored with its reply owed in the <see cref="NodeOutbox"/>.
    /// </summary>
    public void Begin(string agreementId, string agbot, AgreementTerms oldTerms, AgreementTerms newTerms)
    {
        var record = upgrades.Begin(agreementId, agbot, oldTerms, newTerms);
        eventLog.Record(agreementId, "update.received", $"{agbot}: {oldTerms.Service.Key} → {newTerms.Service.Key}");
        Log.Received(logger, agreementId, oldTerms.Service.Key, newTerms.Service.Key);
        RunDetached(record);
    }

    /// <summary>Waits for every update under way (tests and shutdown).</summary>
    public Task WhenIdleAsync() => Task.WhenAll(_running.Values);

    private UpgradeScreening Refuse(string agreementId, CancelReason? reason, string message) =>
        UpgradeScreening.Answer(Refused(agreementId, reason, message));

    private void RunDetached(UpgradeRecord record)
    {
        // Pulls outlast the mailbox's acknowledgement window: the update runs beside the receive loop.
        _running[record.AgreementId] = Task.Run(async () =>
        {
            try
            {
                await RunAsync(record, CancellationToken.None);
            }
#pragma warning disable CA1031 // Detached: anything thrown must be logged; the store keeps the step for the next start.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Log.Crashed(logger, record.AgreementId, e);
            }
            finally
            {
                _running.TryRemove(record.AgreementId, out _);
                status.Signal();
            }
        });
    }

    private async Task RunAsync(UpgradeRecord record, CancellationToken cancellationToken)
    {
        var id = record.AgreementId;
        WorkloadPlan plan;
        try
        {
            plan = WorkloadPlanner.Build(id, record.NewTerms);
            await images.EnsureImagesAsync(plan, logins.Credentials, cancellationToken);
        }
        catch (WorkloadStartException e)
        {
            // Nothing of the old version was touched.
            Finish(id, false, e.Reason, e.Message, "update.refused");
            return;
        }
        eventLog.Record(id, "update.staged", $"every image of {record.NewTerms.Service.Key} is on the node and matches its pinned digest");

        upgrades.SetStep(id, UpgradeStep.Switching);
        eventLog.Record(id, "update.switching", $"stopping {record.OldTerms.Service.Key}, starting {record.NewTerms.Service.Key}");
        var failure = await SwitchAsync(plan, cancellationToken);
        if (failure is null && agreements.Get(id) is not { IsActive: true })
        {
            // Cancelled while switching: nothing may keep running for it.
            await runner.StopAsync(id, cancellationToken);
            Finish(id, false, null, $"agreement {id} ended during the update", "update.abandoned");
            return;
        }
        if (failure is null)
        {
            Finish(id, true, null, null, "update.applied");
            return;
        }
        await RollBackAsync(record, failure, cancellationToken);
    }

    private async Task<WorkloadStartException?> SwitchAsync(WorkloadPlan plan, CancellationToken cancellationToken)
    {
        try
        {
            await runner.SwitchAsync(plan, cancellationToken);
            await Task.Delay(options.SettleTime, timeProvider, cancellationToken);
            var stopped = await runner.FindStoppedAsync(plan.AgreementId, cancellationToken);
            if (stopped.Count == 0)
            {
                return null;
            }
            var what = string.Join(", ", stopped.Select(s => $"{s.Name} ({(s.ExitCode is { } code ? $"exit code {code}" : "gone")})"));
            return new WorkloadStartException(stopped.Any(s => s.TopLevel) ? CancelReason.ContainerFailure : CancelReason.DependencyFailure,
                $"the new version did not stay up: {what} stopped within {options.SettleTime.TotalSeconds:0.#} s of its start");
        }
        catch (WorkloadStartException e)
        {
            return e;
        }
        catch (EngineException e)
        {
            return new WorkloadStartException(CancelReason.ContainerFailure, $"switching to the new version failed: {e.Message}", e);
        }
        finally
        {
            runner.EndSwitch(plan.AgreementId);
        }
    }

    private async Task RollBackAsync(UpgradeRecord record, WorkloadStartException failure, CancellationToken cancellationToken)
    {
        var id = record.AgreementId;
        upgrades.SetStep(id, UpgradeStep.RollingBack);
        eventLog.Record(id, "update.failed", failure.Message, failure.Reason);
        Log.SwitchFailed(logger, id, (int)failure.Reason, failure.Message);
        try
        {
            await runner.StopAsync(id, cancellationToken);
            if (agreements.Get(id) is not { IsActive: true })
            {
                // Cancelled meanwhile: neither version may run.
                Finish(id, false, failure.Reason, failure.Message, "update.abandoned");
                return;
            }
            await runner.StartAsync(WorkloadPlanner.Build(id, record.OldTerms), logins.Credentials, cancellationToken);
        }
        catch (Exception e) when (e is WorkloadStartException or EngineException)
        {
            // Neither version runs: the agreement ends, and the agbot hears both the reply and the cancel.
            var reason = e is WorkloadStartException start ? start.Reason : CancelReason.ContainerFailure;
            Finish(id, false, failure.Reason, $"{failure.Message}; the old version did not come back either: {e.Message}", "update.rollback-failed");
            await lifecycle.FailAsync(id, reason, $"after a failed update the old version did not come back: {e.Message}", cancellationToken);
            return;
        }
        Finish(id, false, failure.Reason, failure.Message, "update.rolled-back");
    }

    private void Finish(string agreementId, bool accepted, CancelReason? reason, string? message, string kind)
    {
        upgrades.Finish(agreementId, accepted, reason, message);
        var record = upgrades.Get(agreementId);
        eventLog.Record(agreementId, kind, accepted ? $"now running {record?.NewTerms.Service.Key}" : message ?? "", reason);
        Log.Finished(logger, agreementId, kind, accepted, reason is { } r ? (int)r : 0);
        outbox.Ring();
    }
}
