namespace Horizon.NodeAgent.Workloads;

/// <summary>A service instance as the local API and the supervisor see it.</summary>
/// <param name="Agreements">Agreements using the instance.</param>
public sealed record ServiceInstanceView(
    string InstanceId,
    string Org,
    string Url,
    string Version,
    string Arch,
    string Sharable,
    string Network,
    IReadOnlyList<ContainerView> Containers,
    IReadOnlyList<string> Agreements);

/// <summary>One container of an instance.</summary>
/// <param name="Name">The container's engine name.</param>
/// <param name="ServiceName">The key of the deployment's <c>services</c> map it runs.</param>
public sealed record ContainerView(string Id, string Name, string ServiceName);

/// <summary>
/// A managed container and the agreements that depend on it; <see cref="TopLevelFor"/> says for
/// which of them it is the top-level service (a failure there is 103, elsewhere 108).
/// </summary>
public sealed record ContainerBinding(
    string ContainerId,
    string ContainerName,
    string InstanceId,
    IReadOnlyList<string> Agreements,
    IReadOnlySet<string> TopLevelFor);
