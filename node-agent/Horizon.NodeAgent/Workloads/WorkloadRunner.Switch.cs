namespace Horizon.NodeAgent.Workloads;

public sealed partial class WorkloadRunner
{
    /// <summary>
    /// Moves a running agreement to <paramref name="plan"/>: stops and removes the instances the new
    /// plan no longer has (reverse start order; shared ones stay for their other users), then starts
    /// the new plan leaf-first, adopting the instances both plans share. The images must be on the
    /// node already (staged by <see cref="ImageFetcher"/>). Until <see cref="EndSwitch"/>, deaths of
    /// the agreement's containers are left to the caller, not the supervisor.
    /// </summary>
    /// <exception cref="WorkloadStartException">
    /// A container of the new plan would not start (103, or 108 for a dependency); everything of the
    /// agreement has been removed, the caller restores the old version.
    /// </exception>
    public async Task SwitchAsync(WorkloadPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            List<ServiceInstance> toRemove = [];
            var keep = plan.Services.Select(s => s.InstanceId).ToHashSet(StringComparer.Ordinal);
            var agreement = new AgreementWorkload(plan, []);
            lock (_containers)
            {
                _switching.Add(plan.AgreementId);
                if (_agreements.TryGetValue(plan.AgreementId, out var old))
                {
                    foreach (var instanceId in Enumerable.Reverse(old.InstanceIds).Where(i => !keep.Contains(i)))
                    {
                        if (_instances.TryGetValue(instanceId, out var instance) && instance.Users.Remove(plan.AgreementId) && instance.Users.Count == 0)
                        {
                            instance.Stopping = true;
                            toRemove.Add(instance);
                        }
                    }
                }
                _agreements[plan.AgreementId] = agreement;
            }
            foreach (var instance in toRemove)
            {
                await RemoveInstanceAsync(plan.AgreementId, instance, cancellationToken);
            }
            await StartServicesAsync(plan, agreement, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Hands the agreement's containers back to supervision after a switch (applied or rolled back).</summary>
    public void EndSwitch(string agreementId)
    {
        lock (_containers)
        {
            _switching.Remove(agreementId);
        }
    }

    /// <summary>
    /// The containers of the agreement's current plan that are not running, with their exit codes
    /// and whether each belongs to the top-level service; empty when all run.
    /// </summary>
    public async Task<IReadOnlyList<(string Name, bool TopLevel, int? ExitCode)>> FindStoppedAsync(string agreementId, CancellationToken cancellationToken = default)
    {
        List<(string Id, string Name, bool TopLevel)> containers;
        lock (_containers)
        {
            if (!_agreements.TryGetValue(agreementId, out var agreement))
            {
                return [];
            }
            containers = [.. agreement.InstanceIds
                .Select(i => _instances.GetValueOrDefault(i))
                .OfType<ServiceInstance>()
                .SelectMany(i => i.Containers.Select(c => (c.Id, i.Plan.ContainerNameFor(c.Name), i.Users.GetValueOrDefault(agreementId))))];
        }
        var stopped = new List<(string, bool, int?)>();
        foreach (var (id, name, topLevel) in containers)
        {
            var inspect = await engine.FindContainerAsync(id, cancellationToken);
            if (inspect is null)
            {
                stopped.Add((name, topLevel, null));
            }
            else if (!inspect.Running)
            {
                stopped.Add((name, topLevel, inspect.ExitCode));
            }
        }
        return stopped;
    }
}
