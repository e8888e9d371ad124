namespace Horizon.NodeAgent.Workloads;

/// <summary>
/// Labels the agent puts on every container and network it creates. They are how a restarted
/// agent recognises its own objects and re-adopts them instead of starting them again.
/// </summary>
public static class WorkloadLabels
{
    private const string Prefix = "org.openhorizon.horizon.";

    /// <summary>Present (value <c>true</c>) on everything the node agent manages.</summary>
    public const string Managed = Prefix + "managed";

    /// <summary>The agreement that created the object (for a singleton, the first agreement that used it).</summary>
    public const string Agreement = Prefix + "agreement";

    /// <summary>The service instance: one network and its containers.</summary>
    public const string Instance = Prefix + "instance";

    public const string ServiceOrg = Prefix + "service.org";
    public const string ServiceUrl = Prefix + "service.url";
    public const string ServiceVersion = Prefix + "service.version";
    public const string ServiceArch = Prefix + "service.arch";

    /// <summary><c>exclusive</c>, <c>singleton</c> or <c>multiple</c>.</summary>
    public const string Sharable = Prefix + "sharable";

    /// <summary>On containers: the key of the deployment's <c>services</c> map the container runs.</summary>
    public const string ContainerName = Prefix + "container";

    /// <summary>The label filter that selects everything the agent manages.</summary>
    public const string ManagedFilter = Managed + "=true";
}
