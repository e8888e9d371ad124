using Horizon.Agreements;

namespace Horizon.NodeAgent.Decisions;

/// <summary>What the node knows when it judges a proposal.</summary>
/// <param name="Pattern"><c>org/pattern</c> the node is registered with, or null for a node registered with a policy.</param>
/// <param name="Arch">The node's architecture, Open Horizon naming.</param>
/// <param name="AllowPrivileged">Whether the node owner allows privileged containers and the host network.</param>
/// <param name="PublisherKeys">The signing keys (PEM) the exchange holds for a service; empty when none.</param>
/// <param name="PublisherKeyRefusal">Why the exchange refused to show the node a service (its 403 reason), or null.</param>
public sealed record NodeDecisionContext(
    string? Pattern,
    string Arch,
    bool AllowPrivileged,
    Func<WorkloadService, IReadOnlyList<string>> PublisherKeys,
    Func<WorkloadService, string?>? PublisherKeyRefusal = null);
