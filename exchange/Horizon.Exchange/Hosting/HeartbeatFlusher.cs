using Horizon.Exchange.Storage;

namespace Horizon.Exchange.Hosting;

/// <summary>
/// Writes the recorded heartbeats every <see cref="ExchangeOptions.HeartbeatFlushInterval"/>, and
/// once more when the exchange stops — after the server has stopped taking requests — so a clean
/// shutdown loses no acknowledged heartbeat. A crash loses at most one interval of them, which the
/// nodes' next beats replace.
/// </summary>
internal sealed partial class HeartbeatFlusher(NodeStore nodes, ExchangeOptions options, TimeProvider time, ILogger<HeartbeatFlusher> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.HeartbeatFlushInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync writes what is left.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        var written = await FlushAsync(CancellationToken.None);
        LogFinalFlush(written);
    }

    private async Task<int> FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await nodes.FlushHeartbeatsAsync(cancellationToken);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or ObjectDisposedException)
        {
            LogFlushFailed(e);
            return 0;
        }
    }

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "heartbeats not written yet; they stay recorded for the next flush")]
    private partial void LogFlushFailed(Exception exception);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Information, Message = "stopping: {Count} recorded heartbeats written")]
    private partial void LogFinalFlush(int count);
}
