using System.Collections.Concurrent;
using Horizon.Agreements;
using Horizon.NodeAgent.Engine;
using Horizon.NodeAgent.State;
using Horizon.NodeAgent.Telemetry;
using Horizon.NodeAgent.Workloads;

namespace Horizon.NodeAgent.Supervision;

/// <summary>
/// Watches the engine's container events and keeps workloads alive: a managed container that
/// dies without the agent stopping it is started again after a backoff; past the agreement's
/// retry budget every agreement using it is ended, 103 where it is the top-level service and
/// 108 where it is a dependency.
/// </summary>
public sealed partial class ContainerSupervisor(
    IContainerEngine engine,
    WorkloadRunner runner,
    AgreementLifecycle lifecycle,
    AgreementStore store,
    EventLog eventLog,
    SupervisionOptions options,
    TimeProvider timeProvider,
    ILogger<ContainerSupervisor> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, RetryBudget> _budgets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _pendingRestarts = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Events from the moment the supervisor starts, even those sent before the stream connects.
        var since = timeProvider.GetUtcNow();
        var filter = new ContainerEventFilter { Actions = ["die"], Labels = [WorkloadLabels.ManagedFilter] };
        try
        {
            await foreach (var died in engine.WatchContainersAsync(filter, since, stoppingToken))
            {
                await OnDiedAsync(died, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await Task.WhenAll(_pendingRestarts.Keys);
        }
    }

    private async Task OnDiedAsync(ContainerEvent died, CancellationToken cancellationToken)
    {
        var binding = runner.FindContainer(died.ContainerId);
        if (binding is null)
        {
            return;
        }
        if (!_budgets.TryGetValue(died.ContainerId, out var budget))
        {
            budget = _budgets.GetOrAdd(died.ContainerId, await BudgetForAsync(binding, cancellationToken));
        }
        var exit = died.ExitCode is { } code ? $"exit code {code}" : "unknown exit code";
        if (budget.TryConsume(timeProvider.GetUtcNow(), out var attempt))
        {
            var delay = options.BackoffFor(attempt);
            foreach (var agreementId in binding.Agreements)
            {
                await eventLog.RecordAsync(agreementId, "container.died", $"{binding.ContainerName} died ({exit}); restart {attempt} of {budget.Retries} in {delay.TotalSeconds:0.###} s", cancellationToken: cancellationToken);
            }
            Log.Restarting(logger, binding.ContainerName, died.ExitCode ?? -1, attempt, delay);
            var restart = RestartLaterAsync(binding, delay, cancellationToken);
            _pendingRestarts.TryAdd(restart, 0);
            _ = restart.ContinueWith(t => _pendingRestarts.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return;
        }
        _budgets.TryRemove(died.ContainerId, out _);
        await FailAgreementsAsync(binding, $"{binding.ContainerName} died ({exit}) after {budget.Retries} restarts within {budget.Window.TotalSeconds:0} s", cancellationToken);
    }

    private async Task FailAgreementsAsync(ContainerBinding binding, string message, CancellationToken cancellationToken)
    {
        foreach (var agreementId in binding.Agreements)
        {
            var reason = binding.TopLevelFor.Contains(agreementId) ? CancelReason.ContainerFailure : CancelReason.DependencyFailure;
            try
            {
                await lifecycle.FailAsync(agreementId, reason, message, cancellationToken);
            }
            catch (EngineException e)
            {
                Log.TeardownFailed(logger, agreementId, e.Message);
            }
        }
    }

    private async Task RestartLaterAsync(ContainerBinding binding, TimeSpan delay, CancellationToken cancellationToken, int conflictsLeft = 3)
    {
        try
        {
            await Task.Delay(delay, timeProvider, cancellationToken);
            if (await runner.RestartContainerAsync(binding.ContainerId, cancellationToken))
            {
                NodeAgentMetrics.RecordRestart();
                foreach (var agreementId in binding.Agreements)
                {
                    await eventLog.RecordAsync(agreementId, "container.restarted", binding.ContainerName);
                }
            }
            else if (runner.FindContainer(binding.ContainerId) is not null)
            {
                // Still ours but gone from the engine (removed behind the agent's back): it can never
                // be restarted, so its agreements end and the agbot negotiates them afresh.
                _budgets.TryRemove(binding.ContainerId, out _);
                await FailAgreementsAsync(binding, $"{binding.ContainerName} was removed from the engine", cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (EngineConflictException) when (conflictsLeft > 0)
        {
            // The engine is still busy with the container (a removal in progress refuses the start):
            // look again once it has settled, when it is either startable or gone.
            await RestartLaterAsync(binding, delay, cancellationToken, conflictsLeft - 1);
        }
        catch (EngineException e)
        {
            // A failed start is a death like any other: the next die event (or none) decides; log the cause.
            Log.RestartFailed(logger, binding.ContainerName, e.Message);
            foreach (var agreementId in binding.Agreements)
            {
                await eventLog.RecordAsync(agreementId, "container.restart-failed", $"{binding.ContainerName}: {e.Message}");
            }
        }
    }

    /// <summary>The budget of the first agreement using the container; the node's defaults where it says 0.</summary>
    private async Task<RetryBudget> BudgetForAsync(ContainerBinding binding, CancellationToken cancellationToken)
    {
        AgreementTerms? terms = null;
        foreach (var agreementId in binding.Agreements)
        {
            if (await store.GetAsync(agreementId, cancellationToken) is { } record)
            {
                terms = record.Terms;
                break;
            }
        }
        var retries = terms is { Retries: > 0 } ? terms.Retries : options.DefaultRetries;
        var window = terms is { RetryDurations: > 0 } ? TimeSpan.FromSeconds(terms.RetryDurations) : options.DefaultRetryWindow;
        return new RetryBudget(retries, window);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9130, Level = LogLevel.Warning, Message = "Container {Container} died with exit code {ExitCode}; restart {Attempt} in {Delay}")]
        public static partial void Restarting(ILogger logger, string container, int exitCode, int attempt, TimeSpan delay);

        [LoggerMessage(EventId = 9131, Level = LogLevel.Warning, Message = "Container {Container} could not be restarted: {Error}")]
        public static partial void RestartFailed(ILogger logger, string container, string error);

        [LoggerMessage(EventId = 9132, Level = LogLevel.Error, Message = "Agreement {AgreementId}: teardown after failure did not finish: {Error}")]
        public static partial void TeardownFailed(ILogger logger, string agreementId, string error);
    }
}
