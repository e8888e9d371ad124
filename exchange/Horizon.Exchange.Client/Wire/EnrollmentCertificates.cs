namespace Horizon.Exchange.Client;

/// <summary>
/// An org admin's order for an enrollment certificate (<c>POST /orgs/{org}/enrollmentcerts</c>). The admin
/// keeps the key: <see cref="Csr"/> is a P-256 CSR made by <see cref="EnrollmentCredential.NewOrder"/>, and
/// the exchange only signs it.
/// </summary>
public sealed record EnrollmentCertificateOrder
{
    /// <summary>The certificate's name in the org (an id); its identity is <c>org/name</c>.</summary>
    public string? Name { get; init; }
    public string? Csr { get; init; }
    /// <summary>How long it is valid, in seconds (60 s to 5 years).</summary>
    public long? TtlSeconds { get; init; }
    /// <summary>Late binding: it enrolls one device, once (a resend of that device's request still answers).</summary>
    public bool? SingleUse { get; init; }
    /// <summary>Late binding: it enrolls only the device with this machine id.</summary>
    public string? MachineId { get; init; }
}

/// <summary>An enrollment certificate as the exchange records it.</summary>
public sealed record EnrollmentCertificateInfo
{
    public string? Name { get; init; }
    public string? Orgid { get; init; }
    /// <summary>The certificate's serial number (hex); a certificate with another serial under this name is refused.</summary>
    public string? Serial { get; init; }
    /// <summary>The certificate (PEM); returned to its creator, who installs it beside its key.</summary>
    public string? Certificate { get; init; }
    public string? NotAfter { get; init; }
    public bool? SingleUse { get; init; }
    public string? MachineId { get; init; }
    public string? CreatedBy { get; init; }
    public string? CreatedAt { get; init; }
    public string? RevokedBy { get; init; }
    public string? RevokedAt { get; init; }
    public string? Reason { get; init; }
    /// <summary>For a single-use certificate, the enrollment request that used it.</summary>
    public string? UsedBy { get; init; }
    /// <summary>The device CA's certificate (PEM), in the answer to a creation only: the bundle a device trusts the exchange by.</summary>
    public string? CaCertificate { get; init; }
}
