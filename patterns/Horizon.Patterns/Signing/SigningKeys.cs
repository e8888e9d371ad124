using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Horizon.Patterns.Signing;

/// <summary>
/// Loads and creates the keys publishers sign deployments with, all PEM: PKCS#8 private keys, SPKI
/// public keys and (as Open Horizon allows) self-signed X.509 certificates. Horizon creates ECDSA P-256
/// keys; the RSA keys Open Horizon's <c>hzn key create</c> made (PKCS#1 or PKCS#8, 2048 bits or more)
/// sign and verify deployments too (<see cref="LoadSigningPrivateKey"/>, <see cref="LoadSigningPublicKey"/>).
/// </summary>
public static class SigningKeys
{
    private const string RsaMessage =
        "this needs an ECDSA P-256 key (hzn key create makes one); RSA keys sign and verify deployments, nothing else";

    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string EcOid = "1.2.840.10045.2.1";
    private const string P256Oid = "1.2.840.10045.3.1.7";

    /// <summary>Creates a new P-256 key pair as PEM.</summary>
    public static SigningKeyPair Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new SigningKeyPair(key.ExportPkcs8PrivateKeyPem(), key.ExportSubjectPublicKeyInfoPem());
    }

    /// <summary>A self-signed certificate for the key pair, valid from <paramref name="notBefore"/> for <paramref name="validity"/>.</summary>
    /// <exception cref="SigningKeyException">The private key is not a usable P-256 key.</exception>
    public static string CreateSelfSignedCertificatePem(string privateKeyPem, string subject, DateTimeOffset notBefore, TimeSpan validity)
    {
        using var key = LoadPrivateKey(privateKeyPem);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(notBefore, notBefore + validity);
        return certificate.ExportCertificatePem();
    }

    /// <summary>
    /// A self-signed certificate whose subject names an organization and a common name, as Open Horizon's
    /// <c>hzn key create &lt;x509-org&gt; &lt;x509-cn&gt;</c> makes one; valid for <paramref name="validity"/> from now.
    /// </summary>
    /// <exception cref="SigningKeyException">The private key is not a usable P-256 key.</exception>
    public static string CreateSelfSignedCertificatePem(string privateKeyPem, string organization, string commonName, TimeSpan validity)
    {
        using var key = LoadPrivateKey(privateKeyPem);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddOrganizationName(organization);
        subject.AddCommonName(commonName);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now + validity);
        return certificate.ExportCertificatePem();
    }

    /// <summary>Loads a PKCS#8 (or SEC1 "EC PRIVATE KEY") P-256 private key. The caller disposes it.</summary>
    /// <exception cref="SigningKeyException">The PEM is malformed, holds an RSA key, or a curve other than P-256.</exception>
    public static ECDsa LoadPrivateKey(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var (label, der) = ReadPem(pem);
        switch (label)
        {
            case "RSA PRIVATE KEY":
                throw new SigningKeyException(RsaMessage);
            case "PRIVATE KEY":
                RejectNonEc(Pkcs8Algorithm(der));
                break;
            case "EC PRIVATE KEY":
                break;
            case "ENCRYPTED PRIVATE KEY":
                throw new SigningKeyException("encrypted private keys are not supported; export the key unencrypted (PKCS#8)");
            default:
                throw new SigningKeyException($"expected a \"PRIVATE KEY\" PEM block, found \"{label}\"");
        }

        var key = ECDsa.Create();
        try
        {
            if (label == "PRIVATE KEY")
            {
                key.ImportPkcs8PrivateKey(der, out _);
            }
            else
            {
                key.ImportECPrivateKey(der, out _);
            }

            RequireP256(key);
            return key;
        }
        catch (CryptographicException ex)
        {
            key.Dispose();
            throw new SigningKeyException("the private key PEM is malformed", ex);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>Loads a public key from an SPKI PEM (<c>PUBLIC KEY</c>) or a certificate PEM (<c>CERTIFICATE</c>). The caller disposes it.</summary>
    /// <exception cref="SigningKeyException">The PEM is malformed, holds an RSA key, or a curve other than P-256.</exception>
    public static ECDsa LoadPublicKey(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var (label, der) = ReadPem(pem);
        byte[] spki;
        switch (label)
        {
            case "PUBLIC KEY":
                spki = der;
                break;
            case "RSA PUBLIC KEY":
                throw new SigningKeyException(RsaMessage);
            case "CERTIFICATE":
                try
                {
                    using var certificate = X509CertificateLoader.LoadCertificate(der);
                    spki = certificate.PublicKey.ExportSubjectPublicKeyInfo();
                }
                catch (CryptographicException ex)
                {
                    throw new SigningKeyException("the certificate PEM is malformed", ex);
                }

                break;
            default:
                throw new SigningKeyException($"expected a \"PUBLIC KEY\" or \"CERTIFICATE\" PEM block, found \"{label}\"");
        }

        RejectNonEc(SpkiAlgorithm(spki));
        var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(spki, out _);
            RequireP256(key);
            return key;
        }
        catch (CryptographicException ex)
        {
            key.Dispose();
            throw new SigningKeyException("the public key PEM is malformed", ex);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A deployment-signing private key: ECDSA P-256 (<see cref="ECDsa"/>), or RSA as Open Horizon's keys
    /// are (<see cref="RSA"/>: "RSA PRIVATE KEY" or PKCS#8, 2048 to 16384 bits). The caller disposes it.
    /// </summary>
    /// <exception cref="SigningKeyException">The PEM is malformed, encrypted, or holds another kind or size of key.</exception>
    public static AsymmetricAlgorithm LoadSigningPrivateKey(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var (label, der) = ReadPem(pem);
        return label switch
        {
            "RSA PRIVATE KEY" => LoadRsa(rsa => rsa.ImportRSAPrivateKey(der, out _), "private"),
            "PRIVATE KEY" when Pkcs8Algorithm(der) == RsaOid => LoadRsa(rsa => rsa.ImportPkcs8PrivateKey(der, out _), "private"),
            _ => LoadPrivateKey(pem),
        };
    }

    /// <summary>
    /// A deployment-signing public key from an SPKI PEM, a certificate PEM or (RSA) an "RSA PUBLIC KEY" PEM:
    /// ECDSA P-256 (<see cref="ECDsa"/>) or RSA of 2048 to 16384 bits (<see cref="RSA"/>). The caller disposes it.
    /// </summary>
    /// <exception cref="SigningKeyException">The PEM is malformed or holds another kind or size of key.</exception>
    public static AsymmetricAlgorithm LoadSigningPublicKey(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var (label, der) = ReadPem(pem);
        if (label == "RSA PUBLIC KEY")
        {
            return LoadRsa(rsa => rsa.ImportRSAPublicKey(der, out _), "public");
        }
        if (label is "PUBLIC KEY" or "CERTIFICATE" && Spki(label, der) is var spki && SpkiAlgorithm(spki) == RsaOid)
        {
            return LoadRsa(rsa => rsa.ImportSubjectPublicKeyInfo(spki, out _), "public");
        }
        return LoadPublicKey(pem);
    }

    /// <summary>
    /// The key id: lowercase hex SHA-256 of the DER SubjectPublicKeyInfo, so the same key has the same
    /// id whether it came as a public key or inside a certificate.
    /// </summary>
    /// <exception cref="SigningKeyException">The PEM is not a usable public key or certificate.</exception>
    public static string KeyId(string publicKeyOrCertificatePem)
    {
        using var key = LoadSigningPublicKey(publicKeyOrCertificatePem);
        return Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
    }

    private static RSA LoadRsa(Action<RSA> import, string which)
    {
        var rsa = RSA.Create();
        try
        {
            import(rsa);
            if (rsa.KeySize is < RsaSignatures.MinimumKeyBits or > RsaSignatures.MaximumKeyBits)
            {
                throw new SigningKeyException($"the RSA key has {rsa.KeySize} bits; deployments are signed with {RsaSignatures.MinimumKeyBits} to {RsaSignatures.MaximumKeyBits}");
            }
            return rsa;
        }
        catch (CryptographicException ex)
        {
            rsa.Dispose();
            throw new SigningKeyException($"the RSA {which} key PEM is malformed", ex);
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    private static byte[] Spki(string label, byte[] der)
    {
        if (label != "CERTIFICATE")
        {
            return der;
        }
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(der);
            return certificate.PublicKey.ExportSubjectPublicKeyInfo();
        }
        catch (CryptographicException ex)
        {
            throw new SigningKeyException("the certificate PEM is malformed", ex);
        }
    }

    private static (string Label, byte[] Der) ReadPem(string pem)
    {
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            throw new SigningKeyException("the text is not PEM (no -----BEGIN ...----- block found)");
        }

        var label = pem[fields.Label];
        var der = new byte[fields.DecodedDataLength];
        if (!Convert.TryFromBase64Chars(pem[fields.Base64Data], der, out var written))
        {
            throw new SigningKeyException("the PEM block's base64 is malformed");
        }

        return (label, der[..written]);
    }

    private static void RejectNonEc(string? algorithm)
    {
        if (algorithm == RsaOid)
        {
            throw new SigningKeyException(RsaMessage);
        }

        if (algorithm != EcOid)
        {
            throw new SigningKeyException(algorithm is null
                ? "the key PEM is malformed"
                : $"keys of algorithm {algorithm} are not supported; Horizon signs with ECDSA P-256");
        }
    }

    private static void RequireP256(ECDsa key)
    {
        var curve = key.ExportParameters(false).Curve;
        if (!curve.IsNamed || curve.Oid.Value != P256Oid)
        {
            throw new SigningKeyException($"the key is on curve {curve.Oid.FriendlyName ?? curve.Oid.Value}; Horizon signs with P-256 only");
        }
    }

    // Reads AlgorithmIdentifier.algorithm from PrivateKeyInfo: SEQUENCE { INTEGER, SEQUENCE { OID, ... }, ... }.
    private static string? Pkcs8Algorithm(byte[] der)
    {
        try
        {
            var outer = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            outer.ReadInteger();
            return outer.ReadSequence().ReadObjectIdentifier();
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    // Reads AlgorithmIdentifier.algorithm from SubjectPublicKeyInfo: SEQUENCE { SEQUENCE { OID, ... }, BIT STRING }.
    private static string? SpkiAlgorithm(byte[] der)
    {
        try
        {
            return new AsnReader(der, AsnEncodingRules.DER).ReadSequence().ReadSequence().ReadObjectIdentifier();
        }
        catch (AsnContentException)
        {
            return null;
        }
    }
}
