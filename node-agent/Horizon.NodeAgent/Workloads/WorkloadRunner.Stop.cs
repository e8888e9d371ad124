using Horizon.NodeAgent.Engine;

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
            await eventLog.RecordAsync(agreementId, "container.removed", $"{instance.Plan.ContainerNameFor(name)} stopped and removed", cancellationToken: cancellationToken);
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
        foreach (var container in await engine.ListContainersAsync(filter, cancellationToken))
        {
            bool live;
            lock (_containers)
            {
                live = _containers.ContainsKey(container.Id);
            }
            if (!live && container.Labels.GetValueOrDefault(WorkloadLabels.Sharable) != "singleton")
            {
                await RemoveContainerAsync(container.Id, cancellationToken);
                await eventLog.RecordAsync(agreementId, "container.removed", $"leftover {container.Name} removed", cancellationToken: cancellationToken);
            }
        }
        foreach (var network in await engine.ListNetworksAsync(filter, cancellationToken))
        {
            bool live;
            lock (_containers)
            {
                live = _instances.Values.Any(i => i.Plan.NetworkName == network.Name);
            }
            if (!live && network.Labels.GetValueOrDefault(WorkloadLabels.Sharable) != "singleton")
            {
                await RemoveNetworkAsync(agreementId, network.Name, cancellationToken);
            }
        }
    }

    private async Task RemoveContainerAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await engine.StopContainerAsync(id, options.StopTimeout, cancellationToken);
        }
        catch (EngineNotFoundException)
        {
            return;
        }
        try
        {
            await engine.RemoveContainerAsync(id, cancellationToken);
        }
        catch (EngineConflictException)
        {
            // "removal already in progress": the engine finishes it.
        }
    }

    private async Task RemoveNetworkAsync(string agreementId, string network, CancellationToken cancellationToken)
    {
        try
        {
            if (await engine.RemoveNetworkAsync(network, cancellationToken))
            {
                await eventLog.RecordAsync(agreementId, "network.removed", network, cancellationToken: cancellationToken);
            }
        }
        catch (EngineConflictException)
        {
            // Something else is still attached (a consumer of another agreement): the network stays for it.
            Log.NetworkKept(logger, agreementId, network);
        }
    }
}
