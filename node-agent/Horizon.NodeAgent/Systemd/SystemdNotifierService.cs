using Horizon.NodeAgent.Engine;
using Microsoft.Extensions.Hosting.Systemd;

namespace Horizon.NodeAgent.Systemd;

/// <summary>
/// Tells the service manager the agent's state through <see cref="ISystemdNotifier"/>:
/// <c>READY=1</c> once start-up (restoring agreements) is done, <c>WATCHDOG=1</c> at half the
/// watchdog interval while the container engine answers a ping, <c>STOPPING=1</c> when shutdown
/// begins. Withholding the watchdog ping while the engine is gone lets systemd restart the agent,
/// which then re-adopts its workloads.
/// </summary>
public sealed partial class SystemdNotifierService(
    ISystemdNotifier notifier,
    SystemdWatchdog watchdog,
    IHostApplicationLifetime lifetime,
    IContainerEngine engine,
    TimeProvider timeProvider,
    ILogger<SystemdNotifierService> logger) : BackgroundService
{
    private static readonly ServiceState s_watchdog = new("WATCHDOG=1");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!notifier.IsEnabled)
        {
            return;
        }
        using var stopping = lifetime.ApplicationStopping.Register(() => notifier.Notify(ServiceState.Stopping));
        await WhenStartedAsync(stoppingToken);
        notifier.Notify(ServiceState.Ready);
        Log.Ready(logger);
        try
        {
            if (watchdog.Interval is not { } interval)
            {
                // Stay until shutdown so the STOPPING=1 registration lives as long as the host.
                await Task.Delay(Timeout.InfiniteTimeSpan, timeProvider, stoppingToken);
                return;
            }
            using var timer = new PeriodicTimer(interval / 2, timeProvider);
            do
            {
                if (await EngineAnswersAsync(interval / 2, stoppingToken))
                {
                    notifier.Notify(s_watchdog);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private Task WhenStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        return started.Task;
    }

    /// <summary>A ping bounded by the time left before the next watchdog ping is due: a hung engine counts as gone.</summary>
    private async Task<bool> EngineAnswersAsync(TimeSpan within, CancellationToken stoppingToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        bounded.CancelAfter(within);
        try
        {
            await engine.PingAsync(bounded.Token);
            return true;
        }
        catch (EngineException e)
        {
            Log.Unhealthy(logger, e.Message);
            return false;
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            Log.Unhealthy(logger, $"no answer within {within.TotalSeconds:0.#} s");
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9140, Level = LogLevel.Information, Message = "Told the service manager READY=1")]
        public static partial void Ready(ILogger logger);

        [LoggerMessage(EventId = 9141, Level = LogLevel.Warning, Message = "The container engine does not answer; withholding the watchdog ping: {Error}")]
        public static partial void Unhealthy(ILogger logger, string error);
    }
}
