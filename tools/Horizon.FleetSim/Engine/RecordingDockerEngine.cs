using Horizon.Docker;

namespace Horizon.FleetSim.Engine;

/// <summary>
/// The container runtime stand-in of one simulated node: the node agent's real workload code
/// calls it exactly as it calls the Docker engine, and it only records what would run. Images
/// pinned by digest count as present (no registry traffic); containers "start" at once.
/// A crash-looping node's containers die shortly after every start, so the agent's real
/// supervisor restarts them and finally gives the agreement up.
/// </summary>
internal sealed class RecordingDockerEngine : IDockerClient
{
    private readonly RecordingContainers _containers;

    /// <param name="crashAfter">When set, every started container dies this long after its start.</param>
    /// <param name="started">Called with the agreement label of every container start.</param>
    public RecordingDockerEngine(TimeSpan? crashAfter, Action<string> started)
    {
        Events = new RecordingEvents();
        Networks = new RecordingNetworks();
        _containers = new RecordingContainers((RecordingEvents)Events, crashAfter, started);
    }

    public IDockerSystem System { get; } = new RecordingSystem();

    public IDockerImages Images { get; } = new RecordingImages();

    public IDockerContainers Containers => _containers;

    public IDockerNetworks Networks { get; }

    public IDockerEvents Events { get; }

    /// <summary>Containers started so far, restarts included.</summary>
    public int StartCount => _containers.StartCount;

    /// <summary>Containers that exist and run now.</summary>
    public int RunningCount => _containers.RunningCount;

    public Task<Version> GetApiVersionAsync(CancellationToken cancellationToken = default) => Task.FromResult(DockerClient.MaximumApiVersion);

    public void Dispose() => ((RecordingEvents)Events).Complete();
}
