namespace Horizon.Exchange.Client;

/// <summary>
/// A node's renewal of its device certificate (<c>POST /orgs/{org}/nodes/{id}/certificate/renew</c>): its
/// current certificate, a CSR for its next key (built by <see cref="EnrollmentCsr"/>, naming the node's
/// registered keys) and <see cref="Signature"/>, the proof that it holds the current certificate's key.
/// </summary>
public sealed record CertificateRenewal
{
    public string? Certificate { get; init; }
    public string? Csr { get; init; }
    /// <summary>ECDSA-SHA256 (IEEE P1363, base64) by the current certificate's key over the CSR's DER bytes; see <see cref="EnrollmentCsr.ProveKey"/>.</summary>
    public string? Signature { get; init; }
}

/// <summary>A device certificate the exchange issued, with the CA certificate that verifies it.</summary>
public sealed record IssuedCertificate
{
    public string? Node { get; init; }
    public string? Certificate { get; init; }
    public string? CaCertificate { get; init; }
    public string? NotAfter { get; init; }
}

/// <summary>An org admin's revocation of a node's device certificates: renewals stop at once.</summary>
public sealed record CertificateRevocation
{
    public string? Reason { get; init; }
}
