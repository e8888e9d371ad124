using System.Threading.Channels;
using Horizon.Nats;
using Horizon.Switchboard.Authorization;
using Horizon.Switchboard.Mailboxes;

namespace Horizon.Switchboard.Service;

/// <summary>
/// Provisions the mailbox stream, then resyncs NATS access with the exchange whenever the exchange
/// announces a change, and on a period as a safety net. Change bursts coalesce into one resync:
/// the trigger channel holds a single pending signal, which covers every change before it.
/// </summary>
public sealed partial class SwitchboardWorker(
    NatsConnection nats,
    MailboxProvisioner provisioner,
    SwitchboardSynchronizer synchronizer,
    SwitchboardOptions options,
    ILogger<SwitchboardWorker> logger) : BackgroundService
{
    private readonly Channel<bool> _triggers = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await ConnectAsync(stoppingToken);
        var listener = ListenForChangesAsync(stoppingToken);
        var timer = TickAsync(stoppingToken);
        _triggers.Writer.TryWrite(true);
        await foreach (var _ in _triggers.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await synchronizer.SyncAsync(stoppingToken);
                LogSynced(logger, synchronizer.KnownParties.Count);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSyncFailed(logger, e.Message);
            }
        }
        await Task.WhenAll(listener, timer);
    }

    private async Task ListenForChangesAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var change in nats.SubscribeAsync("hzn.changes.>", cancellationToken: stoppingToken))
            {
                if (AccessChangeSubjects.AffectsAccess(change.Subject))
                {
                    _triggers.Writer.TryWrite(true);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task TickAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.ResyncInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                _triggers.Writer.TryWrite(true);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // A NATS server still starting, or too busy to answer in time, is waited for: exiting would
    // leave every party without credentials until someone restarts the switchboard.
    private async Task ConnectAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await nats.ConnectAsync(stoppingToken);
                await provisioner.EnsureStreamAsync(options.MessageTtl, stoppingToken);
                return;
            }
            catch (NatsException e)
            {
                LogConnectFailed(logger, attempt, delay.TotalSeconds, e.Message);
            }
            await Task.Delay(delay, stoppingToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
        }
    }

    [LoggerMessage(EventId = 6403, Level = LogLevel.Warning, Message = "NATS not ready (attempt {Attempt}), retrying in {DelaySeconds} s: {Error}")]
    private static partial void LogConnectFailed(ILogger logger, int attempt, double delaySeconds, string error);

    [LoggerMessage(EventId = 6401, Level = LogLevel.Debug, Message = "NATS access in step with the exchange: {Parties} parties")]
    private static partial void LogSynced(ILogger logger, int parties);

    [LoggerMessage(EventId = 6402, Level = LogLevel.Warning, Message = "Resync with the exchange failed, keeping the last access rules: {Error}")]
    private static partial void LogSyncFailed(ILogger logger, string error);
}
