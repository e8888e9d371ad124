using System.Security.Cryptography;
using System.Text;

namespace Horizon.Patterns.Signing;

/// <summary>
/// Signs and verifies the exact <c>deployment</c> string: ECDSA P-256 with SHA-256 over its UTF-8
/// bytes, signature base64. Signatures are written DER-encoded (as <c>openssl dgst -sign</c> makes
/// them); verification also accepts the 64-byte r||s form. Open Horizon's RSA keys sign and verify
/// too: RSASSA-PSS with any salt length, or PKCS #1 v1.5, over SHA-256 (<see cref="RsaSignatures"/>).
/// </summary>
public static class DeploymentSigner
{
    /// <summary>Signs <paramref name="deployment"/> with a P-256 (PKCS#8) or RSA (PKCS#1 or PKCS#8) PEM private key.</summary>
    /// <exception cref="SigningKeyException">The key is malformed, or neither P-256 nor RSA of a usable size.</exception>
    public static string Sign(string deployment, string privateKeyPem)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        using var key = SigningKeys.LoadSigningPrivateKey(privateKeyPem);
        var data = Encoding.UTF8.GetBytes(deployment);
        var signature = key is RSA rsa
            ? RsaSignatures.Sign(rsa, data)
            : ((ECDsa)key).SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return Convert.ToBase64String(signature);
    }

    /// <summary>
    /// Whether <paramref name="signature"/> is a valid signature of <paramref name="deployment"/> by the
    /// key in <paramref name="publicKeyPem"/> (SPKI or certificate). A signature that is not base64 is
    /// simply invalid.
    /// </summary>
    /// <exception cref="SigningKeyException">The public key is malformed, or neither P-256 nor RSA of a usable size.</exception>
    public static bool Verify(string deployment, string signature, string publicKeyPem)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        using var key = SigningKeys.LoadSigningPublicKey(publicKeyPem);
        return Verify(deployment, signature, key);
    }

    /// <summary>As <see cref="Verify(string, string, string)"/> with a key loaded by <see cref="SigningKeys.LoadSigningPublicKey"/> (P-256 or RSA), for callers that keep keys parsed.</summary>
    public static bool Verify(string deployment, string signature, AsymmetricAlgorithm publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        return publicKey is RSA rsa ? Verify(deployment, signature, rsa) : Verify(deployment, signature, (ECDsa)publicKey);
    }

    private static bool Verify(string deployment, string signature, RSA publicKey)
    {
        if (string.IsNullOrEmpty(signature))
        {
            return false;
        }
        try
        {
            return RsaSignatures.Verify(publicKey, Encoding.UTF8.GetBytes(deployment), Convert.FromBase64String(signature));
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>As <see cref="Verify(string, string, string)"/> with an already loaded key (for nodes that cache keys).</summary>
    public static bool Verify(string deployment, string signature, ECDsa publicKey)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(publicKey);
        if (string.IsNullOrEmpty(signature))
        {
            return false;
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(signature);
        }
        catch (FormatException)
        {
            return false;
        }

        var data = Encoding.UTF8.GetBytes(deployment);
        var format = bytes.Length == 64 ? DSASignatureFormat.IeeeP1363FixedFieldConcatenation : DSASignatureFormat.Rfc3279DerSequence;
        try
        {
            return publicKey.VerifyData(data, bytes, HashAlgorithmName.SHA256, format);
        }
        catch (CryptographicException)
        {
            // A signature that is not even well-formed DER is as invalid as a wrong one.
            return false;
        }
    }
}
