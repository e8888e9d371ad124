using Horizon.Docker;
using Horizon.NodeAgent.Engine;
using Horizon.Patterns.Deployment;

namespace Horizon.NodeAgent.Workloads;

public sealed partial class WorkloadRunner
{
    /// <summary>
    /// Compares the agreement's workload as the runner holds it with the engine: every network there,
    /// every container there, running, from its pinned image, with its labels, and attached to its own
    /// and its producers' networks. Empty for an agreement the runner does not hold, or one mid-switch.
    /// </summary>
    /// <exception cref="EngineException">The engine did not answer.</exception>
    public async Task<IReadOnlyList<WorkloadDrift>> FindDriftAsync(string agreementId, CancellationToken cancellationToken = default)
    {
        List<(ServiceInstance Instance, bool TopLevel, List<(string Name, string Id)> Containers)> expected = [];
        lock (_containers)
        {
            if (!_agreements.TryGetValue(agreementId, out var agreement) || _switching.Contains(agreementId))
            {
                return [];
            }
            foreach (var instanceId in agreement.InstanceIds)
            {
                if (_instances.TryGetValue(instanceId, out var instance) && !instance.Stopping)
                {
                    expected.Add((instance, instance.Users.GetValueOrDefault(agreementId), [.. instance.Containers]));
                }
            }
        }
        var drift = new List<WorkloadDrift>();
        foreach (var (instance, topLevel, containers) in expected)
        {
            var service = instance.Plan;
            if (await engine.FindNetworkAsync(service.NetworkName, cancellationToken) is null)
            {
                drift.Add(new WorkloadDrift("network", service.NetworkName, topLevel, "is gone"));
            }
            foreach (var (name, id) in containers)
            {
                var containerName = service.ContainerNameFor(name);
                var actual = await engine.FindContainerAsync(id, cancellationToken);
                if (ContainerDrift(service, name, actual) is { } what)
                {
                    drift.Add(new WorkloadDrift("container", containerName, topLevel, what));
                }
                else if (!actual!.Running)
                {
                    drift.Add(new WorkloadDrift("stopped", containerName, topLevel, $"is {actual.State} (exit code {actual.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"})"));
                }
            }
        }
        return drift;
    }

    /// <summary>
    /// Puts the agreement's workload back as planned: stopped containers are started again; containers
    /// that are gone, replaced or off their networks are removed and created afresh (images pulled and
    /// checked again where missing), missing networks created; everything else is adopted untouched.
    /// </summary>
    /// <exception cref="WorkloadStartException">An image can no longer be fetched or verified.</exception>
    /// <exception cref="EngineException">The engine failed a step; the next pass looks again.</exception>
    public async Task RepairAsync(string agreementId, IReadOnlyList<WorkloadDrift> drift, IReadOnlyList<RegistryCredentials> credentials, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(drift);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            AgreementWorkload? agreement;
            var recreate = new List<(ServiceInstance Instance, string Name, string Id)>();
            var restart = new List<string>();
            lock (_containers)
            {
                if (!_agreements.TryGetValue(agreementId, out agreement) || _switching.Contains(agreementId))
                {
                    return;
                }
                var names = drift.ToLookup(d => d.Subject, d => d.Kind, StringComparer.Ordinal);
                var lostNetworks = drift.Where(d => d.Kind == "network").Select(d => d.Subject).ToHashSet(StringComparer.Ordinal);
                foreach (var instance in agreement.InstanceIds.Select(i => _instances.GetValueOrDefault(i)).OfType<ServiceInstance>())
                {
                    foreach (var (name, id) in instance.Containers)
                    {
                        var kinds = names[instance.Plan.ContainerNameFor(name)].ToList();
                        // A container on a network that is gone lost that attachment for good: it is created afresh.
                        if (kinds.Contains("container") || lostNetworks.Contains(instance.Plan.NetworkName)
                            || instance.Plan.Producers.Any(p => lostNetworks.Contains("hzn-" + p)))
                        {
                            recreate.Add((instance, name, id));
                        }
                        else if (kinds.Contains("stopped"))
                        {
                            restart.Add(id);
                        }
                    }
                }
                foreach (var (instance, name, id) in recreate)
                {
                    // Untracked first, so the removal's death is nobody's crash and the start below creates it again.
                    instance.Containers.Remove((name, id));
                    _containers.Remove(id);
                }
            }
            foreach (var (instance, name, id) in recreate)
            {
                await RemoveContainerAsync(id, cancellationToken);
                await eventLog.RecordAsync(agreementId, "container.removed", $"{instance.Plan.ContainerNameFor(name)} removed to be created again", cancellationToken: cancellationToken);
            }
            foreach (var id in restart)
            {
                await engine.StartContainerAsync(id, cancellationToken);
            }
            if (recreate.Count > 0 || drift.Any(d => d.Kind == "network"))
            {
                await images.EnsureImagesAsync(agreement.Plan, credentials, cancellationToken);
                foreach (var service in agreement.Plan.Services)
                {
                    await EnsureInstanceAsync(agreement.Plan, agreement, service, cancellationToken);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Why the engine's container is not the one planned; null when it is (running or not).</summary>
    private static string? ContainerDrift(ServicePlan service, string name, EngineContainer? actual)
    {
        if (actual is null)
        {
            return "is gone";
        }
        var container = service.Deployment.Services[name];
        var image = ImageReference.Parse(container.Image);
        if (actual.Image != $"{image.Name}@{image.Digest}")
        {
            return $"runs {actual.Image}, not the pinned {image.Name}@{image.Digest}";
        }
        if (actual.Labels.GetValueOrDefault(WorkloadLabels.Instance) != service.InstanceId
            || actual.Labels.GetValueOrDefault(WorkloadLabels.Managed) != "true")
        {
            return "lost its labels";
        }
        if (container.Network == "host")
        {
            return null;
        }
        var missing = new[] { service.NetworkName }.Concat(service.Producers.Select(p => "hzn-" + p))
            .FirstOrDefault(n => !actual.Networks.Contains(n, StringComparer.Ordinal));
        return missing is null ? null : $"is not attached to {missing}";
    }
}
