namespace Horizon.NodeAgent.Workloads;

/// <summary>A running service instance: one network, its containers, and the agreements using it.</summary>
internal sealed class ServiceInstance(ServicePlan plan)
{
    public ServicePlan Plan { get; } = plan;

    /// <summary>Container ids by the deployment's service name, in start order.</summary>
    public List<(string Name, string Id)> Containers { get; } = [];

    /// <summary>Agreements using this instance and whether it is their top-level service.</summary>
    public Dictionary<string, bool> Users { get; } = new(StringComparer.Ordinal);

    /// <summary>Set while the instance is being removed, so its containers' deaths are not crashes.</summary>
    public bool Stopping { get; set; }
}

/// <summary>What the runner holds for one agreement: its plan and instances in start order.</summary>
internal sealed record AgreementWorkload(WorkloadPlan Plan, List<string> InstanceIds);
