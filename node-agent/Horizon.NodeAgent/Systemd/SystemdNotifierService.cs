using Horizon.Docker;

namespace Horizon.NodeAgent.Systemd;

/// <summary>
/// Tells the service manager the agent's state: <c>READY=1</c> once start-up (restoring
/// agreements) is done, <c>WATCHDOG=1</c> at half the watchdog interval while the Docker engine
/// answers, <c>STOPPING=1</c> when shutdown begins. Withholding the watchdog ping when the engine
/// is gone lets systemd restart the agent, which then re-adopts its workloads.
/// </summary>
public sealed partial class SystemdNotifierService(
    SystemdNotifier notifier,
    IHostApplicationLifetime lifetime,
    IDockerClient docker,
    TimeProvider timeProvider,
    ILogger<SystemdNotifierService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!notifier.IsEnabled)
        {
            return;
        }
        using var stopping = lifetime.ApplicationStopping.Register(() => notifier.Notify("STOPPING=1"));
        await WhenStartedAsync(stoppingToken);
        notifier.Notify("READY=1");
        Log.Ready(logger);
        if (notifier.WatchdogInterval is not { } interval)
        {
            try
            {
                // Stay until shutdown so the STOPPING=1 registration lives as long as the host.
                await Task.Delay(Timeout.InfiniteTimeSpan, timeProvider, stoppingToken);
            }
            catch (OperationCanceledException)
            {
            }
            return;
        }
        using var timer = new PeriodicTimer(interval / 2, timeProvider);
        try
        {
            do
            {
                if (await IsHealthyAsync(stoppingToken))
                {
                    notifier.Notify("WATCHDOG=1");
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

    private async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await docker.System.PingAsync(cancellationToken);
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TimeoutException or DockerApiException)
        {
            Log.Unhealthy(logger, e.Message);
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9140, Level = LogLevel.Information, Message = "Told the service manager READY=1")]
        public static partial void Ready(ILogger logger);

        [LoggerMessage(EventId = 9141, Level = LogLevel.Warning, Message = "Docker engine does not answer; withholding the watchdog ping: {Error}")]
        public static partial void Unhealthy(ILogger logger, string error);
    }
}
