using Horizon.Docker;
using Horizon.NodeAgent.Workloads;

namespace Horizon.FleetSim.Engine;

/// <summary>Answers like an engine on this machine would.</summary>
internal sealed class RecordingSystem : IDockerSystem
{
    public Task PingAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<SystemVersion> GetVersionAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new SystemVersion { Version = "recording", ApiVersion = "1.41", MinimumApiVersion = "1.12", Os = "linux", Arch = NodeRuntimeInfo.CurrentArch() });

    public Task<SystemInfo> GetInfoAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new SystemInfo { Name = "fleet-sim", CpuCount = 1, MemoryBytes = 1L << 30, Architecture = NodeRuntimeInfo.CurrentArch(), OsType = "linux" });
}
