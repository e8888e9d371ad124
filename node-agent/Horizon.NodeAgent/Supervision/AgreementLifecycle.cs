using System.Threading.Channels;
using Horizon.Agreements;
using Horizon.Docker;
using Horizon.NodeAgent.Engine;
using Horizon.NodeAgent.State;
using Horizon.NodeAgent.Workloads;

namespace Horizon.NodeAgent.Supervision;

/// <summary>
/// An agreement's life on the node: persist, start, fail, cancel, restore. Every transition is
/// written to the store and the eventlog before the agent acts on it; failures the node decides
/// on its own are also queued on <see cref="Failures"/> for the mailbox to send as cancels.
/// </summary>
public sealed partial class AgreementLifecycle(
    AgreementStore store,
    EventLog eventLog,
    WorkloadRunner runner,
    ILogger<AgreementLifecycle> logger)
{
    // Bounded, and writers wait: a failure notice must reach the agbot, never be dropped.
    private readonly Channel<AgreementFailure> _failures = Channel.CreateBounded<AgreementFailure>(
        new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    /// <summary>Agreements the node ended itself (start failure, crash loop, its user's cancel), in order.</summary>
    public ChannelReader<AgreementFailure> Failures => _failures.Reader;

    /// <summary>
    /// Records the agreement and starts its workload. Never throws for a workload that cannot
    /// run: the outcome carries the reason (112, 113, 114, 103, 108, …) and the agreement is
    /// stored as failed with nothing of it left running.
    /// </summary>
    /// <exception cref="ArgumentException">The agreement id is not 64 lower-case hex characters.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the agreement stays <see cref="AgreementState.Starting"/> and is resumed by <see cref="RestoreAsync"/>.</exception>
    public async Task<AgreementOutcome> StartAsync(string agreementId, AgreementTerms terms,
        IReadOnlyList<RegistryCredentials> credentials, CancellationToken cancellationToken = default)
    {
        if (!AgreementId.IsValid(agreementId))
        {
            throw new ArgumentException($"'{agreementId}' is not an agreement id (64 lower-case hex characters)", nameof(agreementId));
        }
        ArgumentNullException.ThrowIfNull(terms);
        store.Add(agreementId, terms);
        eventLog.Record(agreementId, "agreement.starting", $"{terms.Service.Key} with {terms.Dependencies.Count} dependencies");
        return await RunAsync(agreementId, terms, credentials, cancellationToken);
    }

    /// <summary>
    /// Ends an agreement at the agbot's or the user's request: stops and removes its workload
    /// (what other agreements share stays) and stores it as terminated with the reason.
    /// </summary>
    /// <returns>False when the agreement is unknown.</returns>
    /// <exception cref="EngineException">The engine failed the teardown; the agreement stays as it was.</exception>
    public async Task<bool> CancelAsync(string agreementId, CancelReason reason, string? message = null, CancellationToken cancellationToken = default)
    {
        if (store.Get(agreementId) is null)
        {
            return false;
        }
        eventLog.Record(agreementId, "agreement.cancelling", message ?? CancelReasons.Describe((int)reason), reason);
        await runner.StopAsync(agreementId, cancellationToken);
        store.SetState(agreementId, AgreementState.Terminated, reason, message);
        eventLog.Record(agreementId, "agreement.terminated", message ?? CancelReasons.Describe((int)reason), reason);
        Log.Terminated(logger, agreementId, (int)reason);
        return true;
    }

    /// <summary>
    /// Ends an agreement on the node's own initiative (its user cancelled it): tears it down like
    /// <see cref="CancelAsync"/> and queues the cancel for the agbot on <see cref="Failures"/>.
    /// </summary>
    /// <returns>False when the agreement is unknown.</returns>
    /// <exception cref="EngineException">The engine failed the teardown; the agreement stays as it was and the agbot is not told.</exception>
    public async Task<bool> CancelAndNotifyAsync(string agreementId, CancelReason reason, string message, CancellationToken cancellationToken = default)
    {
        if (!await CancelAsync(agreementId, reason, message, cancellationToken))
        {
            return false;
        }
        await _failures.Writer.WriteAsync(new AgreementFailure(agreementId, reason, message), cancellationToken);
        return true;
    }

    /// <summary>
    /// Ends an agreement the node gives up on (its workload failed past the retry budget): tears
    /// it down, stores it as failed and queues the cancel for the agbot.
    /// </summary>
    public async Task FailAsync(string agreementId, CancelReason reason, string message, CancellationToken cancellationToken = default)
    {
        var record = store.Get(agreementId);
        if (record is null || !record.IsActive)
        {
            return;
        }
        store.SetState(agreementId, AgreementState.Failed, reason, message);
        eventLog.Record(agreementId, "agreement.failed", message, reason);
        Log.Failed(logger, agreementId, (int)reason, message);
        try
        {
            await runner.StopAsync(agreementId, cancellationToken);
        }
        finally
        {
            await _failures.Writer.WriteAsync(new AgreementFailure(agreementId, reason, message), cancellationToken);
        }
    }

    /// <summary>
    /// After an agent restart: brings every agreement the store holds as active back under the
    /// runner. Containers that still run are adopted, not restarted; missing ones are created.
    /// </summary>
    public async Task<IReadOnlyList<AgreementOutcome>> RestoreAsync(IReadOnlyList<RegistryCredentials> credentials, CancellationToken cancellationToken = default)
    {
        var outcomes = new List<AgreementOutcome>();
        foreach (var record in store.List().Where(r => r.IsActive))
        {
            eventLog.Record(record.Id, "agreement.restoring", "agent restarted; re-adopting the workload");
            outcomes.Add(await RunAsync(record.Id, record.Terms, credentials, cancellationToken));
        }
        return outcomes;
    }

    /// <summary>The stored agreement, or null.</summary>
    public AgreementRecord? Get(string agreementId) => store.Get(agreementId);

    private async Task<AgreementOutcome> RunAsync(string agreementId, AgreementTerms terms,
        IReadOnlyList<RegistryCredentials> credentials, CancellationToken cancellationToken)
    {
        try
        {
            await runner.StartAsync(WorkloadPlanner.Build(agreementId, terms), credentials, cancellationToken);
        }
        catch (WorkloadStartException e)
        {
            store.SetState(agreementId, AgreementState.Failed, e.Reason, e.Message);
            eventLog.Record(agreementId, "agreement.failed", e.Message, e.Reason);
            Log.Failed(logger, agreementId, (int)e.Reason, e.Message);
            await _failures.Writer.WriteAsync(new AgreementFailure(agreementId, e.Reason, e.Message), cancellationToken);
            return new AgreementOutcome(agreementId, AgreementState.Failed, e.Reason, e.Message);
        }
        store.SetState(agreementId, AgreementState.Running);
        eventLog.Record(agreementId, "agreement.running", "every container of the workload runs");
        Log.Running(logger, agreementId);
        return new AgreementOutcome(agreementId, AgreementState.Running, null, null);
    }

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
