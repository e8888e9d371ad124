using Horizon.Agreements;
using Horizon.Patterns.Deployment;
using Horizon.Patterns.Model;

namespace Horizon.NodeAgent.Workloads;

/// <summary>One service of an agreement, ready to run: its parsed deployment and where it runs.</summary>
/// <param name="Service">The service as the agreement names it.</param>
/// <param name="Deployment">The parsed, validated deployment string.</param>
/// <param name="Sharable">How the instance is shared between agreements.</param>
/// <param name="InstanceId">Names the instance's network and containers; shared for singletons.</param>
/// <param name="IsTopLevel">The agreement's own service rather than a dependency.</param>
/// <param name="Producers">Instance ids of the services this one requires directly.</param>
public sealed record ServicePlan(
    WorkloadService Service,
    DeploymentDescription Deployment,
    Sharable Sharable,
    string InstanceId,
    bool IsTopLevel,
    IReadOnlyList<string> Producers)
{
    /// <summary>The instance's private bridge network.</summary>
    public string NetworkName => "hzn-" + InstanceId;

    /// <summary>Container name of one entry of the deployment's <c>services</c> map.</summary>
    public string ContainerNameFor(string deploymentName) => $"hzn-{InstanceId}-{deploymentName}";
}

/// <summary>An agreement's services in start order: dependencies first, the top-level service last.</summary>
public sealed record WorkloadPlan(string AgreementId, AgreementTerms Terms, IReadOnlyList<ServicePlan> Services);
