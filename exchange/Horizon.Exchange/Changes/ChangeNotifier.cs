using System.Threading.Channels;
using Horizon.Exchange.Storage;

namespace Horizon.Exchange.Changes;

/// <summary>
/// Hands committed changes to the <see cref="IChangePublisher"/> off the request path. The queue is
/// bounded; when the publisher cannot keep up, notifications are dropped and counted — they are
/// hints, and listeners catch up from the change feed, which never drops anything.
/// </summary>
public sealed partial class ChangeNotifier(IChangePublisher? publisher, ILogger<ChangeNotifier> logger) : BackgroundService
{
    private readonly Channel<ChangeRecord> _queue = Channel.CreateBounded<ChangeRecord>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private long _dropped;

    /// <summary>Notifications not published because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queues the changes of one committed write.</summary>
    public void Notify(IReadOnlyList<ChangeRecord> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (publisher is null)
        {
            return;
        }
        foreach (var change in changes)
        {
            if (!_queue.Writer.TryWrite(change))
            {
                Interlocked.Increment(ref _dropped);
                LogDropped(change.Id);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (publisher is null)
        {
            return;
        }
        await foreach (var change in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await publisher.PublishAsync(change, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPublishFailed(e, change.Id);
            }
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "change {ChangeId} not announced: the notification queue is full")]
    private partial void LogDropped(long changeId);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "change {ChangeId} not announced: publishing failed")]
    private partial void LogPublishFailed(Exception exception, long changeId);
}
