using Horizon.NodeAgent.State;
using Horizon.NodeAgent.Workloads;

namespace Horizon.NodeAgent.Api;

/// <summary><c>GET /node</c>: who this node is and what it offers.</summary>
/// <param name="LocalApiTokenFile">Where the token the local API's writes need is; only the node's owner can read it.</param>
/// <param name="Enrolled">The node enrolled (its device certificate is its credential): it takes no <c>hzn register</c>.</param>
public sealed record NodeInfoView(string Id, string Organization, string Arch, int Cpus, long RamMb, string ExchangeUrl, string AgentVersion, int ActiveAgreements,
    string LocalApiTokenFile, bool Enrolled);

/// <summary><c>GET /agreements</c>: one agreement as the node keeps it.</summary>
public sealed record AgreementView(
    string Id,
    string State,
    string Service,
    IReadOnlyList<string> Dependencies,
    string? Pattern,
    int? Reason,
    string? ReasonText,
    string? Message,
    DateTimeOffset Created,
    DateTimeOffset Updated)
{
    internal static AgreementView From(AgreementRecord record) => new(
        record.Id,
        record.State.ToString().ToLowerInvariant(),
        record.Terms.Service.Key,
        [.. record.Terms.Dependencies.Select(d => d.Key)],
        record.Terms.Pattern,
        record.Reason,
        record.Reason is { } code ? Horizon.Agreements.CancelReasons.Describe(code) : null,
        record.Message,
        record.Created,
        record.Updated);
}

/// <summary><c>GET /services</c>: a running service instance with the live state of its containers.</summary>
public sealed record ServiceView(
    string InstanceId,
    string Org,
    string Url,
    string Version,
    string Arch,
    string Sharable,
    string Network,
    IReadOnlyList<string> Agreements,
    IReadOnlyList<ContainerStateView> Containers)
{
    internal static ServiceView From(ServiceInstanceView instance, IReadOnlyDictionary<string, (string State, string Status)> live) => new(
        instance.InstanceId, instance.Org, instance.Url, instance.Version, instance.Arch, instance.Sharable, instance.Network, instance.Agreements,
        [.. instance.Containers.Select(c => live.TryGetValue(c.Id, out var s)
            ? new ContainerStateView(c.Id, c.Name, c.ServiceName, s.State, s.Status)
            : new ContainerStateView(c.Id, c.Name, c.ServiceName, "missing", ""))]);
}

/// <summary>A container's engine state (<c>running</c>, <c>exited</c>, …, or <c>missing</c>).</summary>
public sealed record ContainerStateView(string Id, string Name, string ServiceName, string State, string Status);
