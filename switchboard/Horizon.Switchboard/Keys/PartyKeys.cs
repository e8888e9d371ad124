using System.Security.Cryptography;

namespace Horizon.Switchboard.Keys;

/// <summary>
/// The two key pairs every node and agbot holds: an ECDSA P-256 signing key and an ECDH P-256
/// encryption key. Their public halves (SPKI DER) are what the party registers in the exchange.
/// </summary>
public sealed class PartyKeys : IDisposable
{
    private PartyKeys(ECDsa signing, ECDiffieHellman encryption)
    {
        Signing = signing;
        Encryption = encryption;
        SigningPublicKey = signing.ExportSubjectPublicKeyInfo();
        EncryptionPublicKey = encryption.ExportSubjectPublicKeyInfo();
    }

    public ECDsa Signing { get; }

    public ECDiffieHellman Encryption { get; }

    /// <summary>SPKI DER of the signing key.</summary>
    public byte[] SigningPublicKey { get; }

    /// <summary>SPKI DER of the encryption key.</summary>
    public byte[] EncryptionPublicKey { get; }

    /// <summary>SPKI PEM of the signing key, as registered in the exchange.</summary>
    public string SigningPublicKeyPem => PemEncoding.WriteString("PUBLIC KEY", SigningPublicKey);

    /// <summary>SPKI PEM of the encryption key, as registered in the exchange.</summary>
    public string EncryptionPublicKeyPem => PemEncoding.WriteString("PUBLIC KEY", EncryptionPublicKey);

    public static PartyKeys Generate() =>
        new(ECDsa.Create(ECCurve.NamedCurves.nistP256), ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>
    /// Loads the key pairs from <c>signing.key</c> and <c>encryption.key</c> (PKCS#8 PEM) in
    /// <paramref name="directory"/>, creating them with mode 0600 when absent.
    /// </summary>
    /// <exception cref="CryptographicException">A key file exists but is not a P-256 PKCS#8 key.</exception>
    public static PartyKeys LoadOrCreate(string directory)
    {
        Directory.CreateDirectory(directory);
        var signingPath = Path.Combine(directory, "signing.key");
        var encryptionPath = Path.Combine(directory, "encryption.key");
        if (File.Exists(signingPath) && File.Exists(encryptionPath))
        {
            var signing = ECDsa.Create();
            signing.ImportFromPem(File.ReadAllText(signingPath));
            var encryption = ECDiffieHellman.Create();
            encryption.ImportFromPem(File.ReadAllText(encryptionPath));
            RequireP256(signing.ExportParameters(false).Curve, signingPath);
            RequireP256(encryption.ExportParameters(false).Curve, encryptionPath);
            return new PartyKeys(signing, encryption);
        }
        var keys = Generate();
        WritePrivate(signingPath, keys.Signing.ExportPkcs8PrivateKeyPem());
        WritePrivate(encryptionPath, keys.Encryption.ExportPkcs8PrivateKeyPem());
        return keys;
    }

    private static void RequireP256(ECCurve curve, string path)
    {
        if (curve.Oid?.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            throw new CryptographicException($"{path} is not a P-256 key");
        }
    }

    private static void WritePrivate(string path, string pem)
    {
        // Create with 0600 from the start, so the key is never readable by others, not even briefly.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(pem);
    }

    /// <summary>Imports an SPKI public key given as PEM or as base64 DER.</summary>
    /// <exception cref="FormatException">The text is neither.</exception>
    public static byte[] ParsePublicKey(string pemOrBase64)
    {
        var text = pemOrBase64.Trim();
        try
        {
            if (text.StartsWith("-----", StringComparison.Ordinal))
            {
                var fields = PemEncoding.Find(text);
                return Convert.FromBase64String(text[fields.Base64Data]);
            }
            return Convert.FromBase64String(text);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new FormatException("a public key must be SPKI PEM or base64 DER", e);
        }
    }

    public void Dispose()
    {
        Signing.Dispose();
        Encryption.Dispose();
    }
}
