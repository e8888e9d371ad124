using Horizon.Docker;

namespace Horizon.NodeAgent.Workloads;

public sealed partial class WorkloadRunner
{
    private async Task StopCoreAsync(string agreementId, CancellationToken cancellationToken)
    {
        List<ServiceInstance> toRemove = [];
        lock (_containers)
        {
            if (_agreements.Remove(agreementId, out var agreement))
            {
                foreach (var instanceId in Enumerable.Reverse(agreement.InstanceIds))
                {
                    if (_instances.TryGetValue(instanceId, out var instance) && instance.Users.Remove(agreementId) && instance.Users.Count == 0)
                    {
                        instance.Stopping = true;
                        toRemove.Add(instance);
                    }
                }
            }
        }
        foreach (var instance in toRemove)
        {
            await RemoveInstanceAsync(agreementId, instance, cancellationToken);
        }
        await SweepLeftoversAsync(agreementId, cancellationToken);
    }

    private async Task RemoveInstanceAsync(string agreementId, ServiceInstance instance, CancellationToken cancellationToken)
    {
        foreach (var (name, id) in Enumerable.Reverse(instance.Containers))
        {
            await RemoveContainerAsync(id, cancellationToken);
            lock (_containers)
            {
                _containers.Remove(id);
            }
            eventLog.Record(agreementId, "container.removed", $"{instance.Plan.ContainerNameFor(name)} stopped and removed");
        }
        await RemoveNetworkAsync(agreementId, instance.Plan.NetworkName, cancellationToken);
        lock (_containers)
        {
            _instances.Remove(instance.Plan.InstanceId);
        }
    }

    /// <summary>
    /// Removes containers and networks labelled with the agreement that no live instance owns:
    /// what a crashed agent left half-made, or what an agent that lost its state still runs.
    /// Singletons are never swept here; other agreements may use them.
    /// </summary>
    private async Task SweepLeftoversAsync(string agreementId, CancellationToken cancellationToken)
    {
        var filter = new[] { WorkloadLabels.ManagedFilter, $"{WorkloadLabels.Agreement}={agreementId}" };
        foreach (var container in await docker.Containers.ListAsync(filter, cancellationToken))
        {
            bool live;
            lock (_containers)
            {
                live = _containers.ContainsKey(container.Id);
            }
            if (!live && container.Labels.GetValueOrDefault(WorkloadLabels.Sharable) != "singleton")
            {
                await RemoveContainerAsync(container.Id, cancellationToken);
                eventLog.Record(agreementId, "container.removed", $"leftover {(container.Names.Count > 0 ? container.Names[0].TrimStart('/') : container.Id)} removed");
            }
        }
        foreach (var network in await docker.Networks.ListAsync(filter, cancellationToken))
        {
            bool live;
            lock (_containers)
            {
                live = _instances.Values.Any(i => i.Plan.NetworkName == network.Name);
            }
            if (!live && network.Labels?.GetValueOrDefault(WorkloadLabels.Sharable) != "singleton")
            {
                await RemoveNetworkAsync(agreementId, network.Name, cancellationToken);
            }
        }
    }

    private async Task RemoveContainerAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await docker.Containers.StopAsync(id, options.StopTimeout, cancellationToken);
        }
        catch (DockerNotFoundException)
        {
            return;
        }
        try
        {
            await docker.Containers.RemoveAsync(id, force: true, cancellationToken: cancellationToken);
        }
        catch (DockerNotFoundException)
        {
        }
        catch (DockerConflictException)
        {
            // "removal already in progress": the engine finishes it.
        }
    }

    private async Task RemoveNetworkAsync(string agreementId, string network, CancellationToken cancellationToken)
    {
        try
        {
            await docker.Networks.RemoveAsync(network, cancellationToken);
            eventLog.Record(agreementId, "network.removed", network);
        }
        catch (DockerNotFoundException)
        {
        }
        catch (DockerConflictException)
        {
            // Something else is still attached (a consumer of another agreement): the network stays for it.
            Log.NetworkKept(logger, agreementId, network);
        }
    }
}
