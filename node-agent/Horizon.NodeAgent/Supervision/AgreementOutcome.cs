using Horizon.Agreements;
using Horizon.NodeAgent.State;

namespace Horizon.NodeAgent.Supervision;

/// <summary>How starting an agreement's workload ended.</summary>
/// <param name="Reason">Set when <see cref="State"/> is <see cref="AgreementState.Failed"/>.</param>
public sealed record AgreementOutcome(string AgreementId, AgreementState State, CancelReason? Reason, string? Message)
{
    public bool Succeeded => State == AgreementState.Running;
}
