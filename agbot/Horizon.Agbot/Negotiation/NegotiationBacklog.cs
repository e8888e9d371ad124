using System.Threading.Channels;
using Horizon.Agbot.Hosting;

namespace Horizon.Agbot.Negotiation;

/// <summary>
/// The bounded queue between discovery and the negotiation workers. Full means producers wait:
/// a node to negotiate with is never dropped; the change feed and the rescan bring back any
/// that a crash took out of memory.
/// </summary>
public sealed class NegotiationBacklog(AgbotOptions options, TimeProvider time)
{
    private readonly Channel<NodeWork> _channel = Channel.CreateBounded<NodeWork>(
        new BoundedChannelOptions(options.QueueCapacity) { FullMode = BoundedChannelFullMode.Wait });

    public ChannelReader<NodeWork> Reader => _channel.Reader;

    public int Count => _channel.Reader.Count;

    public ValueTask EnqueueAsync(NodeWork work, CancellationToken cancellationToken = default) =>
        _channel.Writer.WriteAsync(work, cancellationToken);

    /// <summary>Enqueues <paramref name="work"/> after <paramref name="delay"/>, unless the agbot stops first.</summary>
    public void EnqueueLater(NodeWork work, TimeSpan delay, CancellationToken stopping)
    {
        _ = Task.Run(async () =>
        {
            try
            {
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, time, stopping);
                }
                await EnqueueAsync(work, stopping);
            }
            catch (OperationCanceledException)
            {
                // Stopping: the resumed agbot's rescan finds the node again.
            }
        }, CancellationToken.None);
    }
}
