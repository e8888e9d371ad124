using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Horizon.Exchange.Client;

/// <summary>
/// The CSR of an enrollment request. Its subject binds the device's party keys to its certificate
/// key: CN = machine id, OU = <c>ed25519:&lt;U…&gt;</c>, OU = <c>x25519:&lt;X…&gt;</c>. The CSR is signed by
/// the P-256 key, so nobody can swap the party keys of a request without the exchange noticing.
/// (The subject, not a SAN URI: .NET reads DN attributes back without hand-written ASN.1.)
/// </summary>
public static class EnrollmentCsr
{
    private const string IdentityPrefix = "ed25519:";
    private const string EncryptionPrefix = "x25519:";

    /// <summary>The PEM CSR for <paramref name="key"/> (P-256) naming the machine and both party keys.</summary>
    public static string Create(ECDsa key, string machineId, string publicKey, string encryptionKey)
    {
        ArgumentNullException.ThrowIfNull(key);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(machineId);
        subject.AddOrganizationalUnitName(IdentityPrefix + publicKey);
        subject.AddOrganizationalUnitName(EncryptionPrefix + encryptionKey);
        return new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
    }

    /// <summary>
    /// The proof a renewal carries that its sender holds the current certificate's key: an ECDSA-SHA256
    /// signature (IEEE P1363, base64) by <paramref name="currentKey"/> over the new CSR's DER bytes.
    /// </summary>
    public static string ProveKey(ECDsa currentKey, string csrPem)
    {
        ArgumentNullException.ThrowIfNull(currentKey);
        return Convert.ToBase64String(currentKey.SignData(Der(csrPem), HashAlgorithmName.SHA256));
    }

    /// <summary>Whether <paramref name="signature"/> is <see cref="ProveKey"/>'s proof by the key of <paramref name="certificate"/>.</summary>
    public static bool HoldsKey(X509Certificate2 certificate, string csrPem, string signature)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var key = certificate.GetECDsaPublicKey();
        try
        {
            return key is not null && key.VerifyData(Der(csrPem), Convert.FromBase64String(signature), HashAlgorithmName.SHA256);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static byte[] Der(string csrPem)
    {
        var fields = PemEncoding.Find(csrPem);
        return Convert.FromBase64String(csrPem[fields.Base64Data]);
    }

    /// <summary>The machine id and party keys a CSR's subject names; null fields where it names none (or several).</summary>
    public static (string? MachineId, string? PublicKey, string? EncryptionKey) Subject(X500DistinguishedName subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var names = new List<string>();
        var identity = new List<string>();
        var encryption = new List<string>();
        foreach (var rdn in subject.EnumerateRelativeDistinguishedNames())
        {
            if (rdn.HasMultipleElements)
            {
                return (null, null, null);
            }
            var value = rdn.GetSingleElementValue() ?? "";
            switch (rdn.GetSingleElementType().Value)
            {
                case "2.5.4.3":
                    names.Add(value);
                    break;
                case "2.5.4.11" when value.StartsWith(IdentityPrefix, StringComparison.Ordinal):
                    identity.Add(value[IdentityPrefix.Length..]);
                    break;
                case "2.5.4.11" when value.StartsWith(EncryptionPrefix, StringComparison.Ordinal):
                    encryption.Add(value[EncryptionPrefix.Length..]);
                    break;
                default:
                    return (null, null, null);
            }
        }
        return (names.Count == 1 ? names[0] : null, identity.Count == 1 ? identity[0] : null, encryption.Count == 1 ? encryption[0] : null);
    }
}
