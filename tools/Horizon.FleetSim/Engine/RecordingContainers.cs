using System.Diagnostics;
using Horizon.Docker;
using Horizon.NodeAgent.Workloads;

namespace Horizon.FleetSim.Engine;

/// <summary>
/// Containers the agent created, by id and name, with their running state. Nothing is executed:
/// a start is recorded (and reported to the simulator); a crash-looping node's container then
/// "dies" with exit code 1, which the engine announces as a <c>die</c> event.
/// </summary>
internal sealed class RecordingContainers(RecordingEvents events, TimeSpan? crashAfter, Action<string> started) : IDockerContainers
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, RecordedContainer> _byId = new(StringComparer.Ordinal);
    private int _starts;

    public int StartCount => Volatile.Read(ref _starts);

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

    public Task<ContainerCreateResponse> CreateAsync(ContainerSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        lock (_gate)
        {
            if (spec.Name is { } name && _byId.Values.Any(c => c.Spec.Name == name))
            {
                return Task.FromException<ContainerCreateResponse>(new DockerConflictException($"the container name \"/{name}\" is already in use"));
            }
            var id = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
            _byId[id] = new RecordedContainer(id, spec);
            return Task.FromResult(new ContainerCreateResponse { Id = id });
        }
    }

    public Task<bool> StartAsync(string id, CancellationToken cancellationToken = default)
    {
        RecordedContainer container;
        lock (_gate)
        {
            if (Find(id) is not { } found)
            {
                return Task.FromException<bool>(new DockerNotFoundException($"No such container: {id}"));
            }
            if (found.Running)
            {
                return Task.FromResult(false);
            }
            found.Running = true;
            container = found;
        }
        Interlocked.Increment(ref _starts);
        events.Publish(EventFor(container, "start", null));
        started(container.Spec.Labels.GetValueOrDefault(WorkloadLabels.Agreement, ""));
        if (crashAfter is { } delay)
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
        }
        events.Publish(EventFor(container, "die", 1));
    }

    public Task<bool> StopAsync(string id, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (Find(id) is not { } found)
            {
                return Task.FromException<bool>(new DockerNotFoundException($"No such container: {id}"));
            }
            var wasRunning = found.Running;
            found.Running = false;
            return Task.FromResult(wasRunning);
        }
    }

    public Task KillAsync(string id, string signal = "SIGKILL", CancellationToken cancellationToken = default) =>
        StopAsync(id, TimeSpan.Zero, cancellationToken);

    public Task RemoveAsync(string id, bool force = false, bool removeVolumes = true, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (Find(id) is not { } found)
            {
                return Task.FromException(new DockerNotFoundException($"No such container: {id}"));
            }
            _byId.Remove(found.Id);
            return Task.CompletedTask;
        }
    }

    public Task<ContainerInspect> InspectAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (Find(id) is not { } found)
            {
                return Task.FromException<ContainerInspect>(new DockerNotFoundException($"No such container: {id}"));
            }
            return Task.FromResult(new ContainerInspect
            {
                Id = found.Id,
                Name = "/" + found.Spec.Name,
                Image = found.Spec.Image,
                State = new ContainerState { Running = found.Running, Status = found.Running ? "running" : "exited" },
                Config = new ContainerConfig { Image = found.Spec.Image, Labels = found.Spec.Labels },
            });
        }
    }

    public Task<IReadOnlyList<ContainerSummary>> ListAsync(IReadOnlyList<string> labels, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<ContainerSummary>>([.. _byId.Values
                .Where(c => LabelFilter.Matches(c.Spec.Labels, labels))
                .Select(c => new ContainerSummary
                {
                    Id = c.Id, Names = ["/" + c.Spec.Name], Image = c.Spec.Image, Labels = c.Spec.Labels,
                    State = c.Running ? "running" : "exited",
                })]);
        }
    }

    public Task<IReadOnlyList<ContainerLogLine>> GetLogsAsync(string id, int tail = 100, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ContainerLogLine>>([]);

    public Task<int> WaitAsync(string id, CancellationToken cancellationToken = default) => Task.FromResult(0);

    private RecordedContainer? Find(string idOrName) =>
        _byId.TryGetValue(idOrName, out var byId) ? byId : _byId.Values.FirstOrDefault(c => c.Spec.Name == idOrName.TrimStart('/'));

    private static ContainerEvent EventFor(RecordedContainer container, string action, int? exitCode) =>
        new(action, container.Id, container.Spec.Name ?? "", container.Spec.Image, exitCode,
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
