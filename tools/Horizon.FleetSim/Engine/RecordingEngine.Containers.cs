using System.Diagnostics;
using Horizon.NodeAgent.Engine;
using Horizon.NodeAgent.Workloads;

namespace Horizon.FleetSim.Engine;

/// <summary>
/// Containers the agent created, by id and name, with their running state. Nothing is executed:
/// a start is recorded (and reported to the simulator); a crash-looping node's container then
/// "dies" with exit code 1, which the engine announces as a <c>die</c> event.
/// </summary>
internal sealed partial class RecordingEngine
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, RecordedContainer> _byId = new(StringComparer.Ordinal);
    private int _starts;

    /// <summary>Containers started so far, restarts included.</summary>
    public int StartCount => Volatile.Read(ref _starts);

    /// <summary>The agreement label and image of a running container (a restored node runs it already), or null.</summary>
    public (string Agreement, string Image)? RunningWorkload
    {
        get
        {
            lock (_gate)
            {
                return _byId.Values.FirstOrDefault(c => c.Running && c.Spec.Labels.ContainsKey(WorkloadLabels.Agreement)) is { } running
                    ? (running.Spec.Labels[WorkloadLabels.Agreement], running.Spec.Image)
                    : null;
            }
        }
    }

    /// <summary>Containers that exist and run now.</summary>
    public int RunningCount
    {
        get
        {
            lock (_gate)
            {
                return _byId.Values.Count(c => c.Running);
            }
        }
    }

    public Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        lock (_gate)
        {
            if (_byId.Values.Any(c => c.Spec.Name == spec.Name))
            {
                return Task.FromException<string>(new EngineConflictException($"the container name \"/{spec.Name}\" is already in use"));
            }
            var id = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
            _byId[id] = new RecordedContainer(id, spec);
            Save();
            return Task.FromResult(id);
        }
    }

    public Task<bool> StartContainerAsync(string id, CancellationToken cancellationToken = default)
    {
        RecordedContainer container;
        lock (_gate)
        {
            if (Find(id) is not { } found)
            {
                return Task.FromException<bool>(new EngineNotFoundException($"No such container: {id}"));
            }
            if (found.Running)
            {
                return Task.FromResult(false);
            }
            found.Running = true;
            container = found;
            Save();
        }
        Interlocked.Increment(ref _starts);
        Publish(EventFor(container, "start", null));
        _started(container.Spec.Labels.GetValueOrDefault(WorkloadLabels.Agreement, ""), container.Spec.Image);
        if (_crashAfter is { } delay)
        {
            _ = DieLaterAsync(container, delay);
        }
        return Task.FromResult(true);
    }

    private async Task DieLaterAsync(RecordedContainer container, TimeSpan delay)
    {
        await Task.Delay(delay);
        lock (_gate)
        {
            if (!container.Running || !_byId.ContainsKey(container.Id))
            {
                return;
            }
            container.Running = false;
            Save();
        }
        Publish(EventFor(container, "die", 1));
    }

    public Task<bool> StopContainerAsync(string id, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (Find(id) is not { } found)
            {
                return Task.FromException<bool>(new EngineNotFoundException($"No such container: {id}"));
            }
            var wasRunning = found.Running;
            found.Running = false;
            Save();
            return Task.FromResult(wasRunning);
        }
    }

    public Task<bool> RemoveContainerAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var removed = Find(id) is { } found && _byId.Remove(found.Id);
            Save();
            return Task.FromResult(removed);
        }
    }

    public Task<EngineContainer?> FindContainerAsync(string nameOrId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(Find(nameOrId) is { } found ? ToContainer(found) : null);
        }
    }

    public Task<IReadOnlyList<EngineContainer>> ListContainersAsync(IReadOnlyList<string> labelFilters, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<EngineContainer>>([.. _byId.Values.Where(c => Matches(c.Spec.Labels, labelFilters)).Select(ToContainer)]);
        }
    }

    private RecordedContainer? Find(string idOrName) =>
        _byId.TryGetValue(idOrName, out var byId) ? byId : _byId.Values.FirstOrDefault(c => c.Spec.Name == idOrName.TrimStart('/'));

    private static EngineContainer ToContainer(RecordedContainer c) => new(
        c.Id, c.Spec.Name, c.Spec.Image, c.Spec.Labels, c.Running ? "running" : "exited", c.Running ? "Up" : "Exited",
        c.Running ? null : 0, false, null, c.Spec.Network is { } network ? [network] : []);

    private static ContainerEvent EventFor(RecordedContainer container, string action, int? exitCode) =>
        new(action, container.Id, container.Spec.Name, container.Spec.Image, exitCode,
            new Dictionary<string, string>(container.Spec.Labels, StringComparer.Ordinal),
            (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100);

    [DebuggerDisplay("{Id} {Spec.Name} running={Running}")]
    private sealed class RecordedContainer(string id, ContainerSpec spec)
    {
        public string Id { get; } = id;

        public ContainerSpec Spec { get; } = spec;

        public bool Running { get; set; }
    }
}
