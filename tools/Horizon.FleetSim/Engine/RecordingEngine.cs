using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Horizon.Docker;
using Horizon.NodeAgent.Engine;

namespace Horizon.FleetSim.Engine;

/// <summary>
/// The container engine of one simulated node: the node agent's real workload code calls it
/// through the agent's own <see cref="IContainerEngine"/> port, and it only records what would
/// run. Images pinned by digest count as present (no registry traffic); containers "start" at
/// once. A crash-looping node's containers die shortly after every start, so the agent's real
/// supervisor restarts them and finally gives the agreement up.
/// </summary>
internal sealed partial class RecordingEngine : IContainerEngine, IDisposable
{
    // One watcher (the node's supervisor); unbounded because the engine, like Docker's, never waits for a slow reader.
    private readonly Channel<ContainerEvent> _events = Channel.CreateUnbounded<ContainerEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TimeSpan? _crashAfter;
    private readonly Action<string, string> _started;
    private readonly string? _snapshotPath;

    /// <param name="crashAfter">When set, every started container dies this long after its start.</param>
    /// <param name="started">Called with the agreement label and the image of every container start.</param>
    /// <param name="snapshotPath">
    /// When set, what the engine holds is written to this file after every change and read back at
    /// construction: the node's "Docker" then outlives a SIGKILL of the simulated agent, as a real
    /// engine outlives a crash of the real agent, which must adopt what runs instead of starting it again.
    /// </param>
    public RecordingEngine(TimeSpan? crashAfter, Action<string, string> started, string? snapshotPath = null)
    {
        _crashAfter = crashAfter;
        _started = started;
        _snapshotPath = snapshotPath;
        Load();
    }

    public Task PingAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<EngineImage?> FindImageAsync(string reference, CancellationToken cancellationToken = default) =>
        Task.FromResult(reference.Contains("@sha256:", StringComparison.Ordinal)
            ? new EngineImage("sha256:" + reference.GetHashCode(StringComparison.Ordinal).ToString("x8", System.Globalization.CultureInfo.InvariantCulture), [reference])
            : null);

    public async Task<EngineImage> PullImageAsync(string reference, RegistryCredentials? credentials, CancellationToken cancellationToken = default) =>
        await FindImageAsync(reference, cancellationToken) ?? throw new EngineNotFoundException($"No such image: {reference}");

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

    public void Dispose() => _events.Writer.TryComplete();

    private void Publish(ContainerEvent containerEvent) => _events.Writer.TryWrite(containerEvent);

    /// <summary>Docker's <c>label=key</c> and <c>label=key=value</c> filters, all of which must hold.</summary>
    private static bool Matches(IReadOnlyDictionary<string, string> labels, IReadOnlyList<string> filters) =>
        filters.All(filter => filter.Split('=', 2) switch
        {
            [var key] => labels.ContainsKey(key),
            [var key, var value] => labels.TryGetValue(key, out var actual) && actual == value,
            _ => false,
        });
}
