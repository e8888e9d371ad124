using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Horizon.Exchange.Api;
using Horizon.Exchange.Auth;

namespace Horizon.Exchange.Enrollment;

/// <summary>
/// Makes the sender of a TLS client certificate the node it names, when the certificate chains to the device CA with
/// the client-authentication purpose, is valid now, and names (CN <c>org/node</c>, OU <c>ed25519:…</c>) an existing node
/// with that identity key whose certificates were not revoked. The node's rights are then the same as with a token.
/// A certificate verified once is remembered (by its SHA-256) beside the token cache, so revoking or deleting the node
/// forgets it at once on this exchange.
/// </summary>
internal sealed class DeviceCertificateAuthenticator(
    DeviceCertificateAuthority ca, EnrollmentStore enrollments, CredentialVerifier verifier, TimeProvider time)
{
    /// <summary>The node the certificate authenticates, or the problem to answer (401, or 403 for a revoked node).</summary>
    public async Task<(Caller? Caller, IResult? Refusal)> AuthenticateAsync(X509Certificate2 certificate, CancellationToken cancellationToken = default)
    {
        var key = "x509:" + certificate.GetCertHashString(HashAlgorithmName.SHA256);
        if (verifier.Recall(key) is { } known)
        {
            return (known, null);
        }
        var now = time.GetUtcNow();
        if (!ca.Verifies(certificate, now))
        {
            return (null, Problems.Unauthorized(
                $"the client certificate {certificate.Subject} is not a device certificate of this exchange's CA valid now " +
                $"(valid {Clock.Text(certificate.NotBefore)} to {Clock.Text(certificate.NotAfter)}); an expired node renews too late and enrolls again"));
        }
        var (name, identityKey) = DeviceCertificateAuthority.DeviceSubject(certificate);
        var slash = name?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (name is null || identityKey is null || slash <= 0 || slash == name.Length - 1)
        {
            return (null, Problems.Unauthorized($"the client certificate {certificate.Subject} names no node (CN org/node, OU ed25519:<identity key>)"));
        }
        var (org, id) = (name[..slash], name[(slash + 1)..]);
        // The node and its revocation in one read.
        var node = await enrollments.CertificateHolderAsync(org, id, cancellationToken);
        if (node is null || node.PublicKey != identityKey)
        {
            return (null, Problems.Unauthorized($"node {name} of the client certificate does not exist (any more); its certificate authenticates nothing"));
        }
        if (node.Revocations > 0)
        {
            return (null, Problems.Forbidden($"the certificates of node {name} were revoked"));
        }
        var caller = new Caller(org, id, CallerKind.Node, Admin: false, HubAdmin: false, node.Owner);
        verifier.Remember(key, caller, new DateTimeOffset(certificate.NotAfter.ToUniversalTime()));
        return (caller, null);
    }
}
