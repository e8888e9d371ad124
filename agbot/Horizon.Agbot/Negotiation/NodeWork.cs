namespace Horizon.Agbot.Negotiation;

/// <summary>A node to evaluate against the served workloads (one, or all when <see cref="Workload"/> is null).</summary>
public sealed record NodeWork(string NodeOrg, string NodeId, string? Workload, string Cause);
