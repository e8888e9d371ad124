using Horizon.Exchange.Storage;

namespace Horizon.Exchange.Enrollment;

/// <summary>
/// What approving an enrollment request writes, beside nothing else: the request in its approved state
/// (<paramref name="Decided"/>), its audit entry, the node it creates with at most <paramref name="MaxNodes"/> in the org,
/// and that node's policy when the approval gives one.
/// </summary>
public sealed record EnrollmentApprovalWrite(AttachmentRecord Decided, AttachmentRecord Audit, NodeRecord Node, string? Policy, long MaxNodes);
