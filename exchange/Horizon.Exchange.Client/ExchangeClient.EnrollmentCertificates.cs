namespace Horizon.Exchange.Client;

public sealed partial class ExchangeClient
{
    /// <summary>Signs an enrollment certificate for the order's CSR (org admins only); the answer holds the certificate.</summary>
    /// <exception cref="ExchangeException">409 when the name is taken, 400 when the order is invalid.</exception>
    public Task<EnrollmentCertificateInfo> CreateEnrollmentCertificateAsync(string org, EnrollmentCertificateOrder order, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, Path("orgs", org, "enrollmentcerts"), Body(order, Json.EnrollmentCertificateOrder), Json.EnrollmentCertificateInfo, cancellationToken);

    /// <summary>The org's enrollment certificates, revoked ones included (org admins only).</summary>
    public Task<IReadOnlyList<EnrollmentCertificateInfo>> ListEnrollmentCertificatesAsync(string org, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Path("orgs", org, "enrollmentcerts"), null, Json.IReadOnlyListEnrollmentCertificateInfo, cancellationToken);

    /// <summary>Revokes an enrollment certificate: requests carrying it are refused from now on (org admins only).</summary>
    public Task<EnrollmentCertificateInfo> RevokeEnrollmentCertificateAsync(string org, string name, CertificateRevocation revocation, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, Path("orgs", org, "enrollmentcerts", name, "revoke"), Body(revocation, Json.CertificateRevocation), Json.EnrollmentCertificateInfo, cancellationToken);
}
