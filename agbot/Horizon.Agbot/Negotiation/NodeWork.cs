namespace Horizon.Agbot.Negotiation;

/// <summary>
/// A node to evaluate against the served workloads (one, or all when <see cref="Workload"/> is null).
/// Only the instance leasing the node's partition evaluates it, unless <see cref="AnyInstance"/>
/// (a renegotiation after a cancel this instance handled). <see cref="Attempt"/> counts evaluations
/// that failed on an exchange or NATS error.
/// </summary>
public sealed record NodeWork(string NodeOrg, string NodeId, string? Workload, string Cause, bool AnyInstance = false, int Attempt = 0);
