using System.Text.Json;

namespace Horizon.Exchange.Client;

/// <summary>What a device says about itself when it asks to be enrolled.</summary>
public sealed record EnrollmentFacts
{
    public string? Arch { get; init; }
    public int? Cpus { get; init; }
    public long? MemoryMb { get; init; }
    /// <summary>The PRETTY_NAME (or ID VERSION_ID) of /etc/os-release.</summary>
    public string? OsRelease { get; init; }
    /// <summary>/etc/machine-id; also the CN of the request's CSR.</summary>
    public string? MachineId { get; init; }
    /// <summary>Labels the device declares (its agent's configuration); auto-approval rules may match on them.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}

/// <summary>
/// A device's enrollment request (<c>POST /orgs/{org}/enrollments</c>): a PEM CSR for a P-256 key
/// whose subject is built by <see cref="EnrollmentCsr"/> (CN = machine id, the two party keys as OUs),
/// the party keys themselves, and facts.
/// </summary>
public sealed record EnrollmentSubmission
{
    public string? Csr { get; init; }
    /// <summary>The Ed25519 identity key as a NATS user public key (U…).</summary>
    public string? PublicKey { get; init; }
    /// <summary>The X25519 encryption key as a NATS curve public key (X…).</summary>
    public string? EncryptionKey { get; init; }
    public EnrollmentFacts? Facts { get; init; }
    /// <summary>The enrollment certificate (PEM) that vouches for this request; see <see cref="EnrollmentCredential"/>.</summary>
    public string? EnrollmentCertificate { get; init; }
    /// <summary>ECDSA-SHA256 (IEEE P1363, base64) by the enrollment certificate's key over the CSR's DER bytes.</summary>
    public string? EnrollmentProof { get; init; }
}

/// <summary>An enrollment request as the exchange holds it; <see cref="State"/> is pending, approved or denied.</summary>
public sealed record EnrollmentRequest
{
    public string? Id { get; init; }
    public string? Orgid { get; init; }
    public string? State { get; init; }
    public string? Csr { get; init; }
    public string? PublicKey { get; init; }
    public string? EncryptionKey { get; init; }
    public EnrollmentFacts? Facts { get; init; }
    public string? SubmittedAt { get; init; }
    /// <summary>The name of the enrollment certificate the request came with (its identity is <c>org/name</c>).</summary>
    public string? EnrollmentCertificate { get; init; }
    /// <summary>The node id given at approval.</summary>
    public string? Node { get; init; }
    /// <summary>The device certificate (PEM) issued at approval.</summary>
    public string? Certificate { get; init; }
    public string? DecidedBy { get; init; }
    public string? DecidedAt { get; init; }
    public string? Reason { get; init; }
}

/// <summary>
/// What the device itself may read about its request without credentials (<c>GET …/enrollments/{id}/result</c>):
/// the state, and once approved its node id, device certificate and the CA certificate.
/// </summary>
public sealed record EnrollmentResult
{
    public string? Id { get; init; }
    public string? State { get; init; }
    public string? Node { get; init; }
    public string? Certificate { get; init; }
    public string? CaCertificate { get; init; }
    public string? Reason { get; init; }
}

/// <summary>
/// An org admin's approval: the node id to create, and its pattern (<c>org/pattern</c>) or node policy
/// (<see cref="Policy"/>, a node.policy.json document); <see cref="Labels"/> become node policy properties.
/// </summary>
public sealed record EnrollmentApproval
{
    public string? Node { get; init; }
    public string? Pattern { get; init; }
    public JsonElement? Policy { get; init; }
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}

/// <summary>An org admin's denial, with the reason kept in the audit.</summary>
public sealed record EnrollmentDenial
{
    public string? Reason { get; init; }
}

/// <summary>One audited enrollment decision: who decided what about which request, and when.</summary>
public sealed record EnrollmentAuditEntry
{
    public string? Request { get; init; }
    public string? Decision { get; init; }
    public string? By { get; init; }
    public string? At { get; init; }
    public string? Node { get; init; }
    public string? Detail { get; init; }
}
