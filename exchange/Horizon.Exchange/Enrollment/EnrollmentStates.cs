namespace Horizon.Exchange.Enrollment;

/// <summary>
/// The states of an enrollment request. A request is an attachment of kind <see cref="Kind"/> whose
/// parent is its state, so counting an org's pending requests reads the primary key's prefix and a
/// decision is one conditional update from <see cref="Pending"/>.
/// </summary>
public static class EnrollmentStates
{
    public const string Kind = "enrollment";
    /// <summary>Audit entries: parent is the request id, key the time and decision.</summary>
    public const string AuditKind = "enrollmentaudit";
    /// <summary>A node's revocation: parent is the node id. "node…", so deleting the node deletes it.</summary>
    public const string RevocationKind = "nodecertrevoked";
    /// <summary>An enrollment certificate: parent is empty, key its name, document an <c>EnrollmentCertificateInfo</c>.</summary>
    public const string CertificateKind = "enrollmentcert";
    /// <summary>The use of a single-use enrollment certificate: parent is its name, key empty, document the request id.</summary>
    public const string CertificateUseKind = "enrollmentcertuse";
    /// <summary>An auto-approval rule: parent is empty, key its name, document an <c>EnrollmentRule</c>.</summary>
    public const string RuleKind = "enrollmentrule";
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Denied = "denied";
}

/// <summary>A refusal decided inside a write transaction; thrown so the whole write rolls back.</summary>
public sealed class EnrollmentRefusedException(Storage.WriteOutcome outcome, string detail) : Exception(detail)
{
    public Storage.WriteOutcome Outcome { get; } = outcome;
}
