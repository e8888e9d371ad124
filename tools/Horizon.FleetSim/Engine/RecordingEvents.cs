using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Horizon.Docker;

namespace Horizon.FleetSim.Engine;

/// <summary>The engine's event stream: what the recording containers publish, filtered by action.</summary>
internal sealed class RecordingEvents : IDockerEvents
{
    // One watcher (the node's supervisor); unbounded because the engine, like Docker's, never waits for a slow reader.
    private readonly Channel<ContainerEvent> _events = Channel.CreateUnbounded<ContainerEvent>(new UnboundedChannelOptions { SingleReader = true });

    public void Publish(ContainerEvent containerEvent) => _events.Writer.TryWrite(containerEvent);

    public void Complete() => _events.Writer.TryComplete();

    public async IAsyncEnumerable<ContainerEvent> WatchContainersAsync(ContainerEventFilter filter, DateTimeOffset? since = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await foreach (var e in _events.Reader.ReadAllAsync(cancellationToken))
        {
            if (filter.Actions.Count == 0 || filter.Actions.Contains(e.Action))
            {
                yield return e;
            }
        }
    }
}
