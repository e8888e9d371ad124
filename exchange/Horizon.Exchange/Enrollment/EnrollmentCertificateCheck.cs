using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Horizon.Exchange.Api;
using Horizon.Exchange.Client;

namespace Horizon.Exchange.Enrollment;

/// <summary>
/// Checks the enrollment certificate an enrollment request comes with: issued by the device CA for
/// enrollment, unexpired, of this org, its key's proof over the request's CSR, known to the org under
/// that serial, not revoked, and for late binding the right machine and not used by another request.
/// </summary>
/// <remarks>
/// A proof over the CSR rather than TLS client authentication: the proof binds the credential to this one
/// request (the CSR names the device's keys and machine id), it survives a TLS-terminating proxy, and it is
/// kept with the request. A captured request replayed gets the same request back (its id is the CSR key's), and
/// the proof cannot be moved to another CSR.
/// </remarks>
internal static class EnrollmentCertificateCheck
{
    public static async Task<(EnrollmentCertificateInfo? Certificate, IResult? Refusal)> CheckAsync(string org, EnrollmentSubmission submission, string requestId,
        DeviceCertificateAuthority ca, EnrollmentStore store, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(submission.EnrollmentCertificate) || string.IsNullOrWhiteSpace(submission.EnrollmentProof))
        {
            return (null, Problems.Unauthorized("an enrollment request needs an enrollment certificate (enrollmentCertificate) and its key's signature over the CSR (enrollmentProof); an org admin creates one with 'hzn exchange org enrollmentcert create'"));
        }
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(submission.EnrollmentCertificate);
        }
        catch (CryptographicException)
        {
            return (null, Problems.Unauthorized("enrollmentCertificate is not a PEM certificate"));
        }
        using (certificate)
        {
            if (!ca.Verifies(certificate, now, EnrollmentCredential.Purpose))
            {
                return (null, Problems.Unauthorized("enrollmentCertificate is not an enrollment certificate of this exchange's CA, or it has expired"));
            }
            var identity = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
            var slash = identity.IndexOf('/', StringComparison.Ordinal);
            var (owner, name) = slash > 0 ? (identity[..slash], identity[(slash + 1)..]) : ("", identity);
            if (owner != org)
            {
                return (null, Problems.Forbidden($"the enrollment certificate {identity} is not org {org}'s"));
            }
            if (!EnrollmentCsr.HoldsKey(certificate, submission.Csr!, submission.EnrollmentProof))
            {
                return (null, Problems.Unauthorized("enrollmentProof is not a signature by the enrollment certificate's key over the CSR (ECDSA-SHA256 over its DER bytes)"));
            }
            var (row, usedBy) = await store.GetCertificateAsync(org, name, cancellationToken);
            var info = row is null ? null : EnrollmentCertificatesApi.ToWire(row, usedBy);
            if (info is null || info.Serial != certificate.SerialNumber)
            {
                return (null, Problems.Unauthorized($"the enrollment certificate {identity} (serial {certificate.SerialNumber}) is not one org {org} holds"));
            }
            if (info.RevokedAt is not null)
            {
                return (null, Problems.Forbidden($"the enrollment certificate {identity} was revoked at {info.RevokedAt}"));
            }
            if (info.MachineId is not null && info.MachineId != submission.Facts?.MachineId)
            {
                return (null, Problems.Forbidden($"the enrollment certificate {identity} enrolls machine {info.MachineId} only"));
            }
            if (info.SingleUse == true && usedBy is not null && usedBy != requestId)
            {
                return (null, Problems.Forbidden($"the enrollment certificate {identity} is single-use and enrolled request {usedBy} already"));
            }
            return (info, null);
        }
    }
}
