using System.Text.Json;

namespace Horizon.Exchange.Client;

/// <summary>What the node agent reports about its agreements and containers.</summary>
public sealed record NodeStatus
{
    public IReadOnlyDictionary<string, bool>? Connectivity { get; init; }
    public IReadOnlyList<ServiceStatus>? Services { get; init; }
    public string? RunningServices { get; init; }
    public string? LastUpdated { get; init; }
}

/// <summary>The state of one agreement's service on the node.</summary>
public sealed record ServiceStatus
{
    public string? AgreementId { get; init; }
    public string? ServiceUrl { get; init; }
    public string? Orgid { get; init; }
    public string? Version { get; init; }
    public string? Arch { get; init; }
    public IReadOnlyList<ContainerStatus>? ContainerStatus { get; init; }
    public string? OperatorStatus { get; init; }
    public string? ConfigState { get; init; }
}

/// <summary>One container of a running service.</summary>
public sealed record ContainerStatus
{
    public string? Name { get; init; }
    public string? Image { get; init; }
    public long Created { get; init; }
    public string? State { get; init; }
}

/// <summary>Errors the node agent surfaces (free-form objects, as in Open Horizon).</summary>
public sealed record NodeErrors
{
    public IReadOnlyList<JsonElement>? Errors { get; init; }
    public string? LastUpdated { get; init; }
}

/// <summary>An agreement as the node records it.</summary>
public sealed record NodeAgreement
{
    public string? Id { get; init; }
    public IReadOnlyList<AgreementServiceRef>? Services { get; init; }
    public AgreementServiceRef? AgreementService { get; init; }
    public string? State { get; init; }
    public string? LastUpdated { get; init; }
}

/// <summary>The workload an agreement is about.</summary>
public sealed record AgreementServiceRef
{
    public string? Orgid { get; init; }
    public string? Pattern { get; init; }
    public string? Url { get; init; }
}
