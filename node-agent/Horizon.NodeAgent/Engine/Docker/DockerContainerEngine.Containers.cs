using System.Globalization;
using Docker.DotNet.Models;

namespace Horizon.NodeAgent.Engine.Docker;

public sealed partial class DockerContainerEngine
{
    public async Task<EngineContainer?> FindContainerAsync(string nameOrId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrId);
        try
        {
            var container = await CallAsync($"inspecting container {nameOrId}", (client, ct) => client.Containers.InspectContainerAsync(nameOrId, ct), cancellationToken);
            return ToContainer(container);
        }
        catch (EngineNotFoundException)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<EngineContainer>> ListContainersAsync(IReadOnlyList<string> labelFilters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labelFilters);
        var containers = await CallAsync("listing containers", (client, ct) => client.Containers.ListContainersAsync(
            new ContainersListParameters { All = true, Filters = LabelFilters(labelFilters) }, ct), cancellationToken);
        return [.. containers.Select(c => new EngineContainer(
            c.ID,
            c.Names is [var first, ..] ? first.TrimStart('/') : c.ID,
            c.Image,
            Labels(c.Labels),
            c.State,
            c.Status ?? "",
            null,
            false,
            null,
            []))];
    }

    public async Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var created = await CallAsync($"creating container {spec.Name}", (client, ct) => client.Containers.CreateContainerAsync(ToCreateParameters(spec), ct), cancellationToken);
        return created.ID;
    }

    public Task<bool> StartContainerAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return CallAsync($"starting container {id}", (client, ct) => client.Containers.StartContainerAsync(id, new ContainerStartParameters(), ct), cancellationToken);
    }

    public Task<bool> StopContainerAsync(string id, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var seconds = (uint)Math.Clamp(Math.Ceiling(timeout.TotalSeconds), 0, int.MaxValue);
        return CallAsync($"stopping container {id}", (client, ct) => client.Containers.StopContainerAsync(id, new ContainerStopParameters { WaitBeforeKillSeconds = seconds }, ct), cancellationToken);
    }

    public async Task<bool> RemoveContainerAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        try
        {
            await CallAsync($"removing container {id}", (client, ct) => client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, ct), cancellationToken);
            return true;
        }
        catch (EngineNotFoundException)
        {
            return false;
        }
    }

    private static EngineContainer ToContainer(ContainerInspectResponse container)
    {
        var state = container.State;
        return new EngineContainer(
            container.ID,
            (container.Name ?? "").TrimStart('/'),
            container.Config?.Image ?? container.Image ?? "",
            Labels(container.Config?.Labels),
            state?.Status ?? "",
            "",
            // An exit code means something only once the container ran and stopped.
            state is { Running: false, FinishedAt: { Length: > 0 } finished } && !finished.StartsWith("0001-", StringComparison.Ordinal) ? (int)state.ExitCode : null,
            state?.OOMKilled ?? false,
            state?.Health?.Status is { Length: > 0 } health ? health : null,
            [.. container.NetworkSettings?.Networks?.Keys ?? []])
        {
            Addresses = (container.NetworkSettings?.Networks ?? new Dictionary<string, EndpointSettings>())
                .Where(n => n.Value?.IPAddress is { Length: > 0 })
                .ToDictionary(n => n.Key, n => n.Value.IPAddress, StringComparer.Ordinal),
        };
    }

    private static Dictionary<string, string> Labels(IDictionary<string, string>? labels) =>
        labels is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(labels, StringComparer.Ordinal);

    private static CreateContainerParameters ToCreateParameters(ContainerSpec spec)
    {
        var hostNetwork = spec.Network == "host";
        var ports = spec.Ports.ToDictionary(p => string.Create(CultureInfo.InvariantCulture, $"{p.ContainerPort}/{p.Protocol}"), p => p);
        return new CreateContainerParameters
        {
            Image = spec.Image,
            Name = spec.Name,
            Hostname = spec.Hostname ?? "",
            User = spec.User ?? "",
            Env = [.. spec.Environment.Select(e => $"{e.Key}={e.Value}")],
            Labels = new Dictionary<string, string>(spec.Labels, StringComparer.Ordinal),
            Cmd = spec.Command is { } command ? [.. command] : null!,
            Entrypoint = spec.Entrypoint is { } entrypoint ? [.. entrypoint] : null!,
            ExposedPorts = ports.Count == 0 ? null : ports.Keys.ToDictionary(k => k, _ => default(EmptyStruct)),
            Healthcheck = spec.Healthcheck is { } health ? new HealthcheckConfig
            {
                Test = [.. health.Test],
                Interval = health.Interval,
                Timeout = health.Timeout,
                Retries = health.Retries,
                StartPeriod = health.StartPeriod,
            } : null,
            HostConfig = new HostConfig
            {
                Binds = [.. spec.Binds],
                Devices = [.. spec.Devices.Select(d => new DeviceMapping { PathOnHost = d.HostPath, PathInContainer = d.ContainerPath, CgroupPermissions = d.Permissions })],
                PortBindings = ports.ToDictionary(p => p.Key, p => (IList<PortBinding>)[new PortBinding
                {
                    HostIP = p.Value.HostIp ?? "",
                    HostPort = p.Value.HostPort is { } host and > 0 ? host.ToString(CultureInfo.InvariantCulture) : "",
                }]),
                Memory = spec.MemoryBytes ?? 0,
                // Equal to the memory limit: no swap on top of it.
                MemorySwap = spec.MemoryBytes ?? 0,
                NanoCPUs = spec.Cpus is { } cpus ? (long)(cpus * 1_000_000_000) : 0,
                Privileged = spec.Privileged,
                CapAdd = spec.CapAdd.Count == 0 ? null! : [.. spec.CapAdd],
                Tmpfs = spec.Tmpfs.Count == 0 ? null! : new Dictionary<string, string>(spec.Tmpfs, StringComparer.Ordinal),
                LogConfig = spec.LogDriver is { } driver ? new LogConfig { Type = driver } : null!,
                // The agent restarts crashed containers itself, with backoff and a retry budget.
                RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.No },
                NetworkMode = spec.Network ?? "",
            },
            NetworkingConfig = spec.Network is { } network && !hostNetwork
                ? new NetworkingConfig { EndpointsConfig = new Dictionary<string, EndpointSettings> { [network] = new() { Aliases = [.. spec.NetworkAliases] } } }
                : null,
        };
    }
}
