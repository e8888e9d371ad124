using System.Globalization;
using Horizon.Agreements;
using Horizon.NodeAgent.Engine;
using Horizon.Patterns.Deployment;
using EnginePort = Horizon.NodeAgent.Engine.PortMapping;

namespace Horizon.NodeAgent.Workloads;

public sealed partial class WorkloadRunner
{
    /// <summary>A container created or found stopped by <see cref="PrepareInstanceAsync"/>, to be started.</summary>
    /// <param name="Created">True when created now; false when it existed stopped.</param>
    private sealed record PendingStart(string Name, string Id, string Image, bool Created);

    private async Task EnsureInstanceAsync(WorkloadPlan plan, AgreementWorkload agreement, ServicePlan service, CancellationToken cancellationToken) =>
        await StartInstanceAsync(plan, service, await PrepareInstanceAsync(plan, agreement, service, cancellationToken), cancellationToken);

    /// <summary>
    /// Registers the instance for the agreement, creates its network and the containers it lacks and
    /// attaches them to their producers' networks; starts nothing. Containers already running are adopted.
    /// </summary>
    /// <returns>What <see cref="StartInstanceAsync"/> has to start, in deployment order.</returns>
    private async Task<IReadOnlyList<PendingStart>> PrepareInstanceAsync(WorkloadPlan plan, AgreementWorkload agreement, ServicePlan service, CancellationToken cancellationToken)
    {
        ServiceInstance? instance;
        bool reused;
        lock (_containers)
        {
            reused = _instances.TryGetValue(service.InstanceId, out instance);
            if (instance is null)
            {
                instance = new ServiceInstance(service);
                _instances[service.InstanceId] = instance;
            }
            instance.Users[plan.AgreementId] = service.IsTopLevel;
            if (!agreement.InstanceIds.Contains(service.InstanceId))
            {
                agreement.InstanceIds.Add(service.InstanceId);
            }
        }
        if (reused && instance.Containers.Count == service.Deployment.Services.Count)
        {
            await eventLog.RecordAsync(plan.AgreementId, "instance.shared", $"{service.Service.Key} reuses singleton instance {service.InstanceId}", cancellationToken: cancellationToken);
            return [];
        }
        await EnsureNetworkAsync(plan, service, cancellationToken);
        List<PendingStart> pending = [];
        foreach (var (name, container) in service.Deployment.Services)
        {
            if (instance.Containers.Any(c => c.Name == name))
            {
                continue;
            }
            if (await EnsureContainerAsync(plan, service, instance, name, container, cancellationToken) is { } start)
            {
                pending.Add(start);
            }
        }
        return pending;
    }

    /// <summary>Starts what <see cref="PrepareInstanceAsync"/> left to start, in deployment order.</summary>
    private async Task StartInstanceAsync(WorkloadPlan plan, ServicePlan service, IReadOnlyList<PendingStart> pending, CancellationToken cancellationToken)
    {
        foreach (var start in pending)
        {
            var containerName = service.ContainerNameFor(start.Name);
            await engine.StartContainerAsync(start.Id, cancellationToken);
            if (start.Created)
            {
                Log.ContainerStarted(logger, plan.AgreementId, containerName, start.Image);
                await eventLog.RecordAsync(plan.AgreementId, "container.started", $"{containerName} ({service.Service.Key}) from {start.Image}", cancellationToken: cancellationToken);
            }
            else
            {
                await eventLog.RecordAsync(plan.AgreementId, "container.started", $"{containerName} existed stopped and was started again", cancellationToken: cancellationToken);
            }
        }
    }

    /// <summary>
    /// Records a container as managed. Called before it is started: a container that exits at once
    /// sends its <c>die</c> event while the start call is still answering, and the supervisor must
    /// already know it then, or the death is lost and the agreement looks healthy with nothing running.
    /// </summary>
    private void Track(ServiceInstance instance, string name, string id)
    {
        lock (_containers)
        {
            if (!instance.Containers.Any(c => c.Id == id))
            {
                instance.Containers.Add((name, id));
            }
            _containers[id] = (instance, name);
        }
    }

    private async Task EnsureNetworkAsync(WorkloadPlan plan, ServicePlan service, CancellationToken cancellationToken)
    {
        if (await engine.FindNetworkAsync(service.NetworkName, cancellationToken) is { } existing)
        {
            RequireOurs(existing.Labels, service, "network", service.NetworkName);
            return;
        }
        await engine.CreateNetworkAsync(new NetworkSpec
        {
            Name = service.NetworkName,
            Internal = options.InternalNetworks,
            Labels = LabelsFor(plan, service, containerName: null),
        }, cancellationToken);
        await eventLog.RecordAsync(plan.AgreementId, "network.created", $"{service.NetworkName} for {service.Service.Key}", cancellationToken: cancellationToken);
    }

    /// <returns>The container to start; null when one was running already and is adopted.</returns>
    private async Task<PendingStart?> EnsureContainerAsync(WorkloadPlan plan, ServicePlan service, ServiceInstance instance, string name, DeploymentService container, CancellationToken cancellationToken)
    {
        var containerName = service.ContainerNameFor(name);
        var existing = await engine.FindContainerAsync(containerName, cancellationToken);
        if (existing is not null)
        {
            RequireOurs(existing.Labels, service, "container", containerName);
            Track(instance, name, existing.Id);
            if (existing.Running)
            {
                Log.ContainerAdopted(logger, plan.AgreementId, containerName);
                await eventLog.RecordAsync(plan.AgreementId, "container.adopted", $"{containerName} was running and is adopted", cancellationToken: cancellationToken);
                return null;
            }
            return new PendingStart(name, existing.Id, container.Image, Created: false);
        }

        var hostNetwork = container.Network == "host";
        var created = await engine.CreateContainerAsync(BuildSpec(plan, service, name, container, hostNetwork), cancellationToken);
        Track(instance, name, created);
        if (!hostNetwork)
        {
            foreach (var producer in service.Producers)
            {
                // Attached under no extra alias: consumers reach producers, producers need not reach consumers by name.
                await engine.ConnectNetworkAsync("hzn-" + producer, created, [], cancellationToken);
            }
        }
        return new PendingStart(name, created, container.Image, Created: true);
    }

    private ContainerSpec BuildSpec(WorkloadPlan plan, ServicePlan service, string name, DeploymentService container, bool hostNetwork)
    {
        var image = ImageReference.Parse(container.Image);
        return new ContainerSpec
        {
            // The verified digest, never the tag: the tag may have moved since the check.
            Image = $"{image.Name}@{image.Digest}",
            Name = service.ContainerNameFor(name),
            Hostname = hostNetwork ? null : name,
            Environment = WorkloadEnvironment.Build(plan.AgreementId, plan.Terms, service.Service, container.Environment, node,
                registrations?.Current?.UserInput),
            Labels = LabelsFor(plan, service, name),
            Command = container.Command,
            Entrypoint = container.Entrypoint,
            Binds = container.Binds,
            Devices = DevicesOf(service, name, container),
            Ports = [.. container.AllPorts.Select(ToEnginePort)],
            MemoryBytes = container.MaxMemoryMb * 1024 * 1024,
            Cpus = container.MaxCpus,
            Privileged = container.Privileged,
            // The planner parsed the deployment, so every capability has a name here.
            CapAdd = [.. container.CapAdd.Select(LinuxCapabilities.Normalize).OfType<string>()],
            User = container.User,
            Tmpfs = container.Tmpfs ?? new Dictionary<string, string>(),
            LogDriver = container.LogDriver,
            Network = hostNetwork ? "host" : service.NetworkName,
            Healthcheck = HealthcheckOf(container),
            NetworkAliases = hostNetwork ? [] : [name],
        };
    }

    /// <summary>
    /// The deployment's devices. One this node does not have stops the start here, naming the entry:
    /// the engine's own refusal names neither the service nor the entry.
    /// </summary>
    /// <exception cref="WorkloadStartException">103 (108 for a dependency): a device is missing on this node.</exception>
    private static List<DeviceSpec> DevicesOf(ServicePlan service, string name, DeploymentService container)
    {
        List<DeviceSpec> devices = [];
        for (var i = 0; i < container.Devices.Count; i++)
        {
            // The planner parsed the deployment, so every entry is well formed here.
            var device = DeviceMapping.TryParse(container.Devices[i])
                ?? throw new WorkloadStartException(CancelReason.ImageDataError, $"services.{name}.devices[{i}]: \"{container.Devices[i]}\" is not {DeviceMapping.Form}");
            if (!File.Exists(device.HostPath))
            {
                throw new WorkloadStartException(service.IsTopLevel ? CancelReason.ContainerFailure : CancelReason.DependencyFailure,
                    $"{service.Service.Key} would not start: services.{name}.devices[{i}]: {device.HostPath} does not exist on this node");
            }
            devices.Add(new DeviceSpec(device.HostPath, device.ContainerPath, device.Permissions));
        }
        return devices;
    }

    /// <summary>Open Horizon's <c>host:container[/proto]</c> or <c>container[/proto]</c>.</summary>
    private static EnginePort ToEnginePort(Patterns.Deployment.PortMapping port)
    {
        var parts = port.HostPort.Split('/');
        var protocol = parts.Length > 1 ? parts[1] : "tcp";
        var numbers = parts[0].Split(':');
        var containerPort = int.Parse(numbers[^1], CultureInfo.InvariantCulture);
        int? hostPort = numbers.Length > 1 ? int.Parse(numbers[0], CultureInfo.InvariantCulture) : containerPort;
        return new EnginePort(containerPort, hostPort, port.HostIP, protocol);
    }

    private Dictionary<string, string> LabelsFor(WorkloadPlan plan, ServicePlan service, string? containerName)
    {
        var labels = new Dictionary<string, string>(options.ExtraLabels, StringComparer.Ordinal)
        {
            [WorkloadLabels.Managed] = "true",
            [WorkloadLabels.Agreement] = plan.AgreementId,
            [WorkloadLabels.Instance] = service.InstanceId,
            [WorkloadLabels.ServiceOrg] = service.Service.Org,
            [WorkloadLabels.ServiceUrl] = service.Service.Url,
            [WorkloadLabels.ServiceVersion] = service.Service.Version,
            [WorkloadLabels.ServiceArch] = service.Service.Arch,
            [WorkloadLabels.Sharable] = service.Sharable.ToString().ToLowerInvariant(),
        };
        if (containerName is not null)
        {
            labels[WorkloadLabels.ContainerName] = containerName;
        }
        return labels;
    }

    /// <summary>An object with our name but not our labels is someone else's: never adopt or remove it.</summary>
    private static void RequireOurs(IReadOnlyDictionary<string, string>? labels, ServicePlan service, string kind, string name)
    {
        if (labels is null || labels.GetValueOrDefault(WorkloadLabels.Managed) != "true"
            || labels.GetValueOrDefault(WorkloadLabels.Instance) != service.InstanceId)
        {
            throw new EngineConflictException($"a {kind} named {name} exists that this node agent did not create");
        }
    }
}
