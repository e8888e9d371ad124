namespace Horizon.NodeAgent.State;

/// <summary>One step in the node's life, in order of <see cref="Sequence"/>.</summary>
/// <param name="AgreementId">The agreement the step belongs to; null for node-wide steps.</param>
/// <param name="Kind">A short, stable name such as <c>image.pulled</c> or <c>container.restarted</c>.</param>
/// <param name="Reason">The cancel reason code when the step ended or refused an agreement.</param>
public sealed record EventLogEntry(long Sequence, DateTimeOffset Time, string? AgreementId, string Kind, int? Reason, string Message);
