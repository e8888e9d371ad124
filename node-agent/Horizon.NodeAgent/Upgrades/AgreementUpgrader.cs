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
    public async Task<UpgradeScreening> ScreenAsync(string agbot, UpdateAgreement update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        var id = update.AgreementId;
        if (!AgreementId.IsValid(id) || await agreements.GetAsync(id, cancellationToken) is not { IsActive: true } record)
        {
            return await RefuseAsync(id, null, $"no agreement {id} is in force on this node", cancellationToken);
        }
        if (record.Terms.Agbot.Length > 0 && record.Terms.Agbot != agbot)
        {
            return await RefuseAsync(id, null, $"agreement {id} was made with {record.Terms.Agbot}, not {agbot}", cancellationToken);
        }
        var terms = update.Terms.Agbot.Length == 0 ? update.Terms with { Agbot = record.Terms.Agbot } : update.Terms;
        if (terms.Agbot != record.Terms.Agbot)
        {
            return await RefuseAsync(id, null, $"the new terms name agbot {terms.Agbot}; agreement {id} is with {record.Terms.Agbot}", cancellationToken);
        }
        if (await upgrades.GetAsync(id, cancellationToken) is { Step: not UpgradeStep.Done } underWay)
        {
            return UpgradeStore.Serialize(underWay.NewTerms) == UpgradeStore.Serialize(terms)
                ? UpgradeScreening.AlreadyUnderWay
                : await RefuseAsync(id, null, $"an update of agreement {id} is still under way", cancellationToken);
        }
        if (UpgradeStore.Serialize(record.Terms) == UpgradeStore.Serialize(terms))
        {
            await eventLog.RecordAsync(id, "update.unchanged", $"{agbot} sent the terms already in force ({terms.Service.Key}); nothing to do", cancellationToken: cancellationToken);
            return UpgradeScreening.Answer(new UpdateAgreementReply { AgreementId = id, Accepted = true });
        }
        return UpgradeScreening.Proceed(terms, record.Terms);
    }

    /// <summary>Records an update refused on its terms (policy, signature, pinning); the old version runs on.</summary>
    public async Task<UpdateAgreementReply> RefusedAsync(string agreementId, CancelReason? reason, string message, CancellationToken cancellationToken = default)
    {
        await eventLog.RecordAsync(agreementId, "update.refused", message, reason, cancellationToken);
        Log.Refused(logger, agreementId, reason is { } r ? (int)r : 0, message);
        return new UpdateAgreementReply { AgreementId = agreementId, Accepted = false, Reason = reason is { } code ? (int)code : null, Message = message };
    }

    /// <summary>
    /// Persists the update and stages it beside the running version; returns at once. The outcome
    /// is stored with its reply owed in the <see cref="NodeOutbox"/>.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled before the update was stored; nothing is.</exception>
    public async Task BeginAsync(string agreementId, string agbot, AgreementTerms oldTerms, AgreementTerms newTerms, CancellationToken cancellationToken = default)
    {
        var record = await upgrades.BeginAsync(agreementId, agbot, oldTerms, newTerms, cancellationToken);
        await eventLog.RecordAsync(agreementId, "update.received", $"{agbot}: {oldTerms.Service.Key} → {newTerms.Service.Key}", cancellationToken: CancellationToken.None);
        Log.Received(logger, agreementId, oldTerms.Service.Key, newTerms.Service.Key);
        RunDetached(record);
    }

    /// <summary>Waits for every update under way (tests and shutdown).</summary>
    public Task WhenIdleAsync() => Task.WhenAll(_running.Values);

    private async Task<UpgradeScreening> RefuseAsync(string agreementId, CancelReason? reason, string message, CancellationToken cancellationToken) =>
        UpgradeScreening.Answer(await RefusedAsync(agreementId, reason, message, cancellationToken));

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
            await FinishAsync(id, false, e.Reason, e.Message, "update.refused", cancellationToken);
            return;
        }
        await eventLog.RecordAsync(id, "update.staged", $"every image of {record.NewTerms.Service.Key} is on the node and matches its pinned digest", cancellationToken: cancellationToken);

        await upgrades.SetStepAsync(id, UpgradeStep.Switching, cancellationToken);
        await eventLog.RecordAsync(id, "update.switching", $"stopping {record.OldTerms.Service.Key}, starting {record.NewTerms.Service.Key}", cancellationToken: cancellationToken);
        var failure = await SwitchAsync(plan, cancellationToken);
        if (failure is null && await agreements.GetAsync(id, cancellationToken) is not { IsActive: true })
        {
            // Cancelled while switching: nothing may keep running for it.
            await runner.StopAsync(id, cancellationToken);
            await FinishAsync(id, false, null, $"agreement {id} ended during the update", "update.abandoned", cancellationToken);
            return;
        }
        if (failure is null)
        {
            await FinishAsync(id, true, null, null, "update.applied", cancellationToken);
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
        await upgrades.SetStepAsync(id, UpgradeStep.RollingBack, cancellationToken);
        await eventLog.RecordAsync(id, "update.failed", failure.Message, failure.Reason, cancellationToken);
        Log.SwitchFailed(logger, id, (int)failure.Reason, failure.Message);
        try
        {
            await runner.StopAsync(id, cancellationToken);
            if (await agreements.GetAsync(id, cancellationToken) is not { IsActive: true })
            {
                // Cancelled meanwhile: neither version may run.
                await FinishAsync(id, false, failure.Reason, failure.Message, "update.abandoned", cancellationToken);
                return;
            }
            await runner.StartAsync(WorkloadPlanner.Build(id, record.OldTerms), logins.Credentials, cancellationToken);
        }
        catch (Exception e) when (e is WorkloadStartException or EngineException)
        {
            // Neither version runs: the agreement ends, and the agbot hears both the reply and the cancel.
            var reason = e is WorkloadStartException start ? start.Reason : CancelReason.ContainerFailure;
            await FinishAsync(id, false, failure.Reason, $"{failure.Message}; the old version did not come back either: {e.Message}", "update.rollback-failed", cancellationToken);
            await lifecycle.FailAsync(id, reason, $"after a failed update the old version did not come back: {e.Message}", cancellationToken);
            return;
        }
        await FinishAsync(id, false, failure.Reason, failure.Message, "update.rolled-back", cancellationToken);
    }

    private async Task FinishAsync(string agreementId, bool accepted, CancelReason? reason, string? message, string kind, CancellationToken cancellationToken)
    {
        await upgrades.FinishAsync(agreementId, accepted, reason, message, cancellationToken);
        var record = await upgrades.GetAsync(agreementId, cancellationToken);
        await eventLog.RecordAsync(agreementId, kind, accepted ? $"now running {record?.NewTerms.Service.Key}" : message ?? "", reason, cancellationToken);
        Log.Finished(logger, agreementId, kind, accepted, reason is { } r ? (int)r : 0);
        outbox.Ring();
    }
}
