using System.Threading.Channels;
using Horizon.Agbot.Hosting;

namespace Horizon.Agbot.Negotiation;

/// <summary>
/// The bounded queue between discovery and the negotiation workers. Full means producers wait:
/// a node to negotiate with is never dropped; the change feed and the rescan bring back any
/// that a crash took out of memory. A node already waiting is not queued twice: its evaluation has
/// not started, so it reads the node as it is by then (a registration wave sends several changes
/// per node — record, keys, heartbeat, status — and each used to cost a full evaluation).
/// </summary>
public sealed class NegotiationBacklog(AgbotOptions options, TimeProvider time)
{
    private readonly Channel<NodeWork> _channel = Channel.CreateBounded<NodeWork>(
        new BoundedChannelOptions(options.QueueCapacity) { FullMode = BoundedChannelFullMode.Wait });

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string, string?, bool), byte> _waiting = new();

    public int Count => _channel.Reader.Count;

    /// <summary>Nodes queued and not yet taken, without the duplicates that were folded into them.</summary>
    public async IAsyncEnumerable<NodeWork> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var work in _channel.Reader.ReadAllAsync(cancellationToken))
        {
            _waiting.TryRemove(KeyOf(work), out _);
            yield return work;
        }
    }

    public async ValueTask EnqueueAsync(NodeWork work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!_waiting.TryAdd(KeyOf(work), 0))
        {
            return;
        }
        try
        {
            await _channel.Writer.WriteAsync(work, cancellationToken);
        }
        catch
        {
            _waiting.TryRemove(KeyOf(work), out _);
            throw;
        }
    }

    private static (string, string, string?, bool) KeyOf(NodeWork work) => (work.NodeOrg, work.NodeId, work.Workload, work.AnyInstance);

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
