using Horizon.Agreements;

namespace Horizon.NodeAgent.State;

/// <summary>
/// A step for the <see cref="EventLog"/> that a store writes in the same transaction as the state
/// change it describes: one commit (one fsync) instead of two, and no crash can keep one without the other.
/// </summary>
/// <param name="AgreementId">The agreement the step belongs to; null for the node's own steps.</param>
/// <param name="Kind">A dotted name, e.g. <c>agreement.running</c>.</param>
public sealed record AgentEvent(string? AgreementId, string Kind, string Message, CancelReason? Reason = null);
