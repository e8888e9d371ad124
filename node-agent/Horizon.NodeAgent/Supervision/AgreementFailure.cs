using Horizon.Agreements;

namespace Horizon.NodeAgent.Supervision;

/// <summary>An agreement the node ended on its own; the agbot must be sent a cancel with <see cref="Reason"/>.</summary>
public sealed record AgreementFailure(string AgreementId, CancelReason Reason, string Message);
