using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Horizon.Exchange.Enrollment;

/// <summary>
/// Checks that a certificate is one this CA issued, by the CA's own key rather than by building an X509 chain.
/// </summary>
/// <remarks>
/// Every certificate the exchange accepts (device certificates on the agent routes and for renewal, enrollment
/// certificates on every enrollment request) is signed directly by this one CA; there is no intermediate to find and
/// no other trust anchor. Building an <see cref="X509Chain"/> for that on Linux cost 0.5–1.1 CPU-ms per certificate
/// (OpenSSL store and context set-up, and chain-element certificates left to the finalizer), against about 0.07 ms for
/// the one ECDSA verification it amounts to (measured side by side, docs/benchmarks.md, enrollment). The checks are
/// the chain's, made explicit: issuer name, the CA's signature (ECDSA-SHA256), validity of both certificates at the
/// given time, the purpose among the extended key usages, no critical extension this exchange does not know.
/// </remarks>
public sealed partial class DeviceCertificateAuthority
{
    private const string EcdsaWithSha256 = "1.2.840.10045.4.3.2";

    // The extensions the CA puts in what it signs; a critical extension outside these is refused, as a chain would.
    private static readonly HashSet<string> KnownCriticalExtensions = ["2.5.29.15", "2.5.29.19", "2.5.29.37", "2.5.29.17"];

    // Shared by all requests: ECDsaOpenSsl verification takes a reference on the key handle per call and keeps no state
    // between calls (signing with _key is shared the same way).
    private readonly ECDsa _publicKey;

    /// <summary>
    /// Whether <paramref name="certificate"/> was issued by this CA for <paramref name="purpose"/> (its extended
    /// key usage: <see cref="DevicePurpose"/> or <see cref="Horizon.Exchange.Client.EnrollmentCredential.Purpose"/>), is no CA itself,
    /// and is valid at <paramref name="now"/>, as the CA is.
    /// </summary>
    public bool Verifies(X509Certificate2 certificate, DateTimeOffset now, string purpose = DevicePurpose)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var at = now.UtcDateTime;
        if (!certificate.IssuerName.RawData.AsSpan().SequenceEqual(Certificate.SubjectName.RawData)
            || !ValidAt(certificate, at) || !ValidAt(Certificate, at))
        {
            return false;
        }
        var hasPurpose = false;
        foreach (var extension in certificate.Extensions)
        {
            switch (extension)
            {
                case X509EnhancedKeyUsageExtension usages:
                    foreach (var usage in usages.EnhancedKeyUsages)
                    {
                        hasPurpose |= usage.Value == purpose;
                    }
                    break;
                case X509BasicConstraintsExtension { CertificateAuthority: true }:
                    return false;
                case { Critical: true } when !KnownCriticalExtensions.Contains(extension.Oid?.Value ?? ""):
                    return false;
                default:
                    break;
            }
        }
        return hasPurpose && SignedByThisCa(certificate.RawDataMemory);
    }

    private static bool ValidAt(X509Certificate2 certificate, DateTime utc) =>
        utc >= certificate.NotBefore.ToUniversalTime() && utc <= certificate.NotAfter.ToUniversalTime();

    /// <summary>Whether the DER certificate's signature over its to-be-signed part is this CA key's ECDSA-SHA256 signature.</summary>
    private bool SignedByThisCa(ReadOnlyMemory<byte> der)
    {
        try
        {
            var outer = new AsnReader(der, AsnEncodingRules.DER);
            var certificate = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            var toBeSigned = certificate.ReadEncodedValue();
            var algorithm = certificate.ReadSequence();
            if (algorithm.ReadObjectIdentifier() != EcdsaWithSha256 || algorithm.HasData)
            {
                return false;
            }
            var signature = certificate.ReadBitString(out var unusedBits);
            certificate.ThrowIfNotEmpty();
            return unusedBits == 0
                && _publicKey.VerifyData(toBeSigned.Span, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (AsnContentException)
        {
            return false;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>
    /// The chain policy for the TLS handshake's own check of a client certificate: this CA as the only root, client
    /// authentication, nothing fetched. SslStream builds a chain for every client certificate before the validation
    /// callback runs (whatever the callback decides); against the machine's trust store, as by default, that costs
    /// ~1.7 CPU-ms per handshake on Linux, against this CA alone ~0.5. The credential filter still judges the
    /// certificate (<see cref="Verifies"/>), so the outcome of the handshake's check changes nothing. A new policy per
    /// connection: SslStream hands it to the chain it builds.
    /// </summary>
    public X509ChainPolicy ClientChainPolicy()
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        policy.CustomTrustStore.Add(Certificate);
        policy.ApplicationPolicy.Add(new Oid(DevicePurpose));
        return policy;
    }
}
