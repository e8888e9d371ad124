using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Horizon.Exchange.Client;

/// <summary>
/// An enrollment certificate with its key: what vouches for a device's enrollment request. The exchange's
/// device CA signs it with CN = <c>org/name</c> and the extended key usage <see cref="Purpose"/> only, so it
/// is usable for enrollment requests and for nothing else (not as a device certificate, nor the other way round).
/// A request carries the certificate and <see cref="Vouch"/>'s signature over its CSR: the credential is bound
/// to that one request, not to a connection, so it holds the same over plain HTTP, HTTPS or a TLS-terminating proxy.
/// </summary>
public sealed class EnrollmentCredential : IDisposable
{
    /// <summary>
    /// The extended key usage of enrollment certificates: an OID under 2.25 (ITU-T X.667, an arc derived from
    /// a random UUID, so it needs no registration and collides with nothing).
    /// </summary>
    public const string Purpose = "2.25.39670005809884327857962089669444522025";

    private readonly ECDsa _key;

    public EnrollmentCredential(string certificatePem, ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(certificatePem);
        CertificatePem = certificatePem;
        _key = key ?? throw new ArgumentNullException(nameof(key));
    }

    public string CertificatePem { get; }

    /// <summary>Reads a certificate and its PKCS#8 key from PEM files.</summary>
    /// <exception cref="InvalidOperationException">A file is missing, is not PEM of the right kind, or the key is not the certificate's; the message names the file.</exception>
    public static EnrollmentCredential Load(string certificatePath, string keyPath)
    {
        string pem;
        try
        {
            pem = File.ReadAllText(certificatePath);
            using var certificate = X509Certificate2.CreateFromPem(pem);
            var key = ECDsa.Create();
            try
            {
                key.ImportFromPem(File.ReadAllText(keyPath));
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                key.Dispose();
                throw new InvalidOperationException($"the enrollment key {keyPath} is not a PEM EC private key: {e.Message}", e);
            }
            using var pub = certificate.GetECDsaPublicKey();
            if (pub is null || !pub.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
            {
                key.Dispose();
                throw new InvalidOperationException($"the enrollment key {keyPath} does not belong to the certificate {certificatePath}");
            }
            return new EnrollmentCredential(pem, key);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"cannot read the enrollment certificate or key ({certificatePath}, {keyPath}): {e.Message}", e);
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException($"the enrollment certificate {certificatePath} is not a PEM certificate: {e.Message}", e);
        }
    }

    /// <summary>A new P-256 key and the CSR to order its certificate with (the exchange sets the subject itself).</summary>
    public static (ECDsa Key, string Csr) NewOrder(string name)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(name);
        return (key, new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256).CreateSigningRequestPem());
    }

    /// <summary><paramref name="submission"/> with this certificate and its proof over the submission's CSR.</summary>
    public EnrollmentSubmission Vouch(EnrollmentSubmission submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        return submission with { EnrollmentCertificate = CertificatePem, EnrollmentProof = EnrollmentCsr.ProveKey(_key, submission.Csr ?? "") };
    }

    public void Dispose() => _key.Dispose();
}
