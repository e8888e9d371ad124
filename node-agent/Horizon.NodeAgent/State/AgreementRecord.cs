using Horizon.Agreements;

namespace Horizon.NodeAgent.State;

/// <summary>An agreement as the node keeps it.</summary>
/// <param name="Reason">The cancel reason code once failed or terminated.</param>
public sealed record AgreementRecord(
    string Id,
    AgreementState State,
    AgreementTerms Terms,
    int? Reason,
    string? Message,
    DateTimeOffset Created,
    DateTimeOffset Updated)
{
    /// <summary>Whether the workload should be running (and so re-adopted after a restart).</summary>
    public bool IsActive => State is AgreementState.Starting or AgreementState.Running;
}
