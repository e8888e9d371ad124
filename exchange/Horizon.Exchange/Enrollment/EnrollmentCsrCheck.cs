using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Horizon.Exchange.Client;

namespace Horizon.Exchange.Enrollment;

/// <summary>
/// Checks a submitted CSR against its request: a valid PEM request signed by its own P-256 key, whose
/// subject (<see cref="EnrollmentCsr"/>) names the request's machine id and both party keys.
/// </summary>
internal static class EnrollmentCsrCheck
{
    private const string P256 = "1.2.840.10045.3.1.7";

    /// <summary>The loaded CSR, or the reason it is refused.</summary>
    public static (CertificateRequest? Csr, string? Problem) Check(string? pem, string? machineId, string? publicKey, string? encryptionKey)
    {
        if (string.IsNullOrWhiteSpace(pem))
        {
            return (null, "csr is required: a PEM certificate request for the device's P-256 key");
        }
        CertificateRequest csr;
        try
        {
            // Default load options verify the CSR's signature by its own key: a CSR edited after signing is refused here.
            csr = CertificateRequest.LoadSigningRequestPem(pem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default);
        }
        catch (CryptographicException e)
        {
            return (null, $"csr is not a PEM certificate request with a valid signature by its own key: {e.Message}");
        }
        if (!IsP256(csr))
        {
            return (null, "csr must be for an EC P-256 key");
        }
        var (name, identity, encryption) = EnrollmentCsr.Subject(csr.SubjectName);
        if (name is null || name != machineId)
        {
            return (null, $"the CSR's subject CN must be the request's facts.machineId ({machineId}); it names {name ?? "none or several"}");
        }
        if (identity is null || identity != publicKey)
        {
            return (null, "the CSR's subject does not name the request's publicKey (OU ed25519:…); the request's keys must be the ones its CSR signs for");
        }
        if (encryption is null || encryption != encryptionKey)
        {
            return (null, "the CSR's subject does not name the request's encryptionKey (OU x25519:…); the request's keys must be the ones its CSR signs for");
        }
        return (csr, null);
    }

    /// <summary>Whether the CSR is for an EC P-256 key.</summary>
    public static bool IsP256(CertificateRequest csr)
    {
        ArgumentNullException.ThrowIfNull(csr);
        using var key = csr.PublicKey.GetECDsaPublicKey();
        return key is not null && key.ExportParameters(false).Curve.Oid.Value == P256;
    }

    /// <summary>The request id a CSR key gets: one request per device key, so a replay finds the first.</summary>
    public static string RequestId(CertificateRequest csr) =>
        "e" + Convert.ToHexStringLower(SHA256.HashData(csr.PublicKey.ExportSubjectPublicKeyInfo()))[..32];
}
