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
        await nats.ConnectAsync(stoppingToken);
        await provisioner.EnsureStreamAsync(options.MessageTtl, stoppingToken);
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
                if (change.Subject.EndsWith(".nodes", StringComparison.Ordinal) || change.Subject.EndsWith(".agbots", StringComparison.Ordinal)
                    || change.Subject.Contains(".agbot", StringComparison.Ordinal))
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

    [LoggerMessage(EventId = 6401, Level = LogLevel.Debug, Message = "NATS access in step with the exchange: {Parties} parties")]
    private static partial void LogSynced(ILogger logger, int parties);

    [LoggerMessage(EventId = 6402, Level = LogLevel.Warning, Message = "Resync with the exchange failed, keeping the last access rules: {Error}")]
    private static partial void LogSyncFailed(ILogger logger, string error);
}
