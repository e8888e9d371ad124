using Horizon.Agreements;
using Horizon.Docker;
using Horizon.NodeAgent.Engine;
using Horizon.NodeAgent.Hosting;
using Horizon.NodeAgent.State;
using Horizon.NodeAgent.Workloads;

namespace Horizon.NodeAgent.Supervision;

/// <summary>
/// An agreement's life on the node: persist, start, fail, cancel, restore. Every transition is
/// written to the store and the eventlog before the agent acts on it; an agreement the node ends
/// on its own owes its agbot a cancel, written to the <see cref="NodeOutbox"/> in the same
/// transaction as the end. Tokens are honoured up to the point the engine acts; what it did is
/// then recorded whatever the token says, so a caller that gives up (a closed API request, a
/// stopping host) cannot leave a teardown unrecorded in a process that keeps running.
/// </summary>
public sealed partial class AgreementLifecycle(
    AgreementStore store,
    EventLog eventLog,
    WorkloadRunner runner,
    NodeOutbox outbox,
    ILogger<AgreementLifecycle> logger,
    ParkingPoints? parking = null)
{
    private readonly ParkingPoints _parking = parking ?? ParkingPoints.None;

    /// <summary>
    /// Records an agreement whose replyack arrived as <see cref="AgreementState.Starting"/>. Quick (one
    /// write), so it is persisted before the replyack is acknowledged; the pull and the start
    /// follow in <see cref="StartAcceptedAsync"/> (and after a crash, in <see cref="RestoreAsync"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The agreement id is not 64 lower-case hex characters.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before the agreement was stored; nothing is.</exception>
    public async Task<AgreementRecord> AcceptAsync(string agreementId, AgreementTerms terms, CancellationToken cancellationToken = default)
    {
        if (!AgreementId.IsValid(agreementId))
        {
            throw new ArgumentException($"'{agreementId}' is not an agreement id (64 lower-case hex characters)", nameof(agreementId));
        }
        ArgumentNullException.ThrowIfNull(terms);
        // The agreement and its event-log step in one commit.
        return await store.AddAsync(agreementId, terms,
            new AgentEvent(agreementId, "agreement.starting", $"{terms.Service.Key} with {terms.Dependencies.Count} dependencies"), cancellationToken);
    }

    /// <summary>
    /// Pulls and starts the workload of an agreement <see cref="AcceptAsync"/> recorded. Never throws for
    /// a workload that cannot run: the outcome carries the reason (112, 113, 114, 103, 108, …), the
    /// agreement is stored as failed with nothing of it left running, and the agbot is owed a cancel.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled; the agreement stays <see cref="AgreementState.Starting"/> and is resumed by <see cref="RestoreAsync"/>.</exception>
    public async Task<AgreementOutcome> StartAcceptedAsync(string agreementId, AgreementTerms terms,
        IReadOnlyList<RegistryCredentials> credentials, CancellationToken cancellationToken = default)
    {
        await _parking.ReachedAsync(ParkingPoints.WorkloadStarting);
        return await RunAsync(agreementId, terms, credentials, cancellationToken);
    }

    /// <summary><see cref="AcceptAsync"/> and <see cref="StartAcceptedAsync"/> in one call.</summary>
    /// <exception cref="ArgumentException">The agreement id is not 64 lower-case hex characters.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the agreement stays <see cref="AgreementState.Starting"/> and is resumed by <see cref="RestoreAsync"/>.</exception>
    public async Task<AgreementOutcome> StartAsync(string agreementId, AgreementTerms terms,
        IReadOnlyList<RegistryCredentials> credentials, CancellationToken cancellationToken = default)
    {
        await AcceptAsync(agreementId, terms, cancellationToken);
        return await StartAcceptedAsync(agreementId, terms, credentials, cancellationToken);
    }

    /// <summary>
    /// Ends an agreement at the agbot's request: stops and removes its workload (what other
    /// agreements share stays) and stores it as terminated with the reason.
    /// </summary>
    /// <returns>False when the agreement is unknown.</returns>
    /// <exception cref="EngineException">The engine failed the teardown; the agreement stays as it was.</exception>
    public async Task<bool> CancelAsync(string agreementId, CancelReason reason, string? message = null, CancellationToken cancellationToken = default)
    {
        if (await store.GetAsync(agreementId, cancellationToken) is null)
        {
            return false;
        }
        await eventLog.RecordAsync(agreementId, "agreement.cancelling", message ?? CancelReasons.Describe((int)reason), reason, cancellationToken);
        await runner.StopAsync(agreementId, cancellationToken);
        await store.SetStateAsync(agreementId, AgreementState.Terminated, reason, message, Terminated(agreementId, reason, message), CancellationToken.None);
        Log.Terminated(logger, agreementId, (int)reason);
        return true;
    }

    /// <summary>
    /// Ends an agreement on the node's own initiative (its user cancelled it): tears it down like
    /// <see cref="CancelAsync"/>, and stores it as terminated together with the cancel owed to the agbot.
    /// </summary>
    /// <returns>False when the agreement is unknown.</returns>
    /// <exception cref="EngineException">The engine failed the teardown; the agreement stays as it was and the agbot is not told.</exception>
    public async Task<bool> CancelAndNotifyAsync(string agreementId, CancelReason reason, string message, CancellationToken cancellationToken = default)
    {
        if (await store.GetAsync(agreementId, cancellationToken) is null)
        {
            return false;
        }
        await eventLog.RecordAsync(agreementId, "agreement.cancelling", message, reason, cancellationToken);
        await runner.StopAsync(agreementId, cancellationToken);
        await store.EndAndOweCancelAsync(agreementId, AgreementState.Terminated, reason, message, Terminated(agreementId, reason, message), CancellationToken.None);
        Log.Terminated(logger, agreementId, (int)reason);
        await _parking.ReachedAsync(ParkingPoints.CancelPersisted);
        outbox.Ring();
        return true;
    }

    /// <summary>
    /// Ends an agreement the node gives up on (its workload failed past the retry budget): stores it
    /// as failed together with the cancel owed to the agbot, then tears it down.
    /// </summary>
    public async Task FailAsync(string agreementId, CancelReason reason, string message, CancellationToken cancellationToken = default)
    {
        var record = await store.GetAsync(agreementId, cancellationToken);
        if (record is null || !record.IsActive)
        {
            return;
        }
        await FailedAsync(agreementId, reason, message);
        await runner.StopAsync(agreementId, cancellationToken);
    }

    /// <summary>
    /// After an agent restart: brings every agreement the store holds as active back under the
    /// runner. Containers that still run are adopted, not restarted; missing ones are created.
    /// </summary>
    public async Task<IReadOnlyList<AgreementOutcome>> RestoreAsync(IReadOnlyList<RegistryCredentials> credentials, CancellationToken cancellationToken = default)
    {
        var outcomes = new List<AgreementOutcome>();
        foreach (var record in (await store.ListAsync(cancellationToken)).Where(r => r.IsActive))
        {
            await eventLog.RecordAsync(record.Id, "agreement.restoring", "agent restarted; re-adopting the workload", cancellationToken: cancellationToken);
            outcomes.Add(await RunAsync(record.Id, record.Terms, credentials, cancellationToken));
        }
        return outcomes;
    }

    /// <summary>The stored agreement, or null.</summary>
    public Task<AgreementRecord?> GetAsync(string agreementId, CancellationToken cancellationToken = default) => store.GetAsync(agreementId, cancellationToken);

    private async Task<AgreementOutcome> RunAsync(string agreementId, AgreementTerms terms,
        IReadOnlyList<RegistryCredentials> credentials, CancellationToken cancellationToken)
    {
        try
        {
            await runner.StartAsync(WorkloadPlanner.Build(agreementId, terms), credentials, cancellationToken);
        }
        catch (WorkloadStartException e)
        {
            await FailedAsync(agreementId, e.Reason, e.Message);
            return new AgreementOutcome(agreementId, AgreementState.Failed, e.Reason, e.Message);
        }
        // The containers run: recorded even when the caller has given up since.
        await store.SetStateAsync(agreementId, AgreementState.Running, null, null,
            new AgentEvent(agreementId, "agreement.running", "every container of the workload runs"), CancellationToken.None);
        Log.Running(logger, agreementId);
        return new AgreementOutcome(agreementId, AgreementState.Running, null, null);
    }

    private async Task FailedAsync(string agreementId, CancelReason reason, string message)
    {
        await store.EndAndOweCancelAsync(agreementId, AgreementState.Failed, reason, message, new AgentEvent(agreementId, "agreement.failed", message, reason));
        Log.Failed(logger, agreementId, (int)reason, message);
        await _parking.ReachedAsync(ParkingPoints.CancelPersisted);
        outbox.Ring();
    }

    private static AgentEvent Terminated(string agreementId, CancelReason reason, string? message) =>
        new(agreementId, "agreement.terminated", message ?? CancelReasons.Describe((int)reason), reason);

    private static partial class Log
    {
        [LoggerMessage(EventId = 9120, Level = LogLevel.Information, Message = "Agreement {AgreementId}: workload running")]
        public static partial void Running(ILogger logger, string agreementId);

        [LoggerMessage(EventId = 9121, Level = LogLevel.Warning, Message = "Agreement {AgreementId}: failed with reason {Reason}: {Message}")]
        public static partial void Failed(ILogger logger, string agreementId, int reason, string message);

        [LoggerMessage(EventId = 9122, Level = LogLevel.Information, Message = "Agreement {AgreementId}: terminated with reason {Reason}")]
        public static partial void Terminated(ILogger logger, string agreementId, int reason);
    }
}
