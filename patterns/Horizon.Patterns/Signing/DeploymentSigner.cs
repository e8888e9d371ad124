using System.Security.Cryptography;
using System.Text;

namespace Horizon.Patterns.Signing;

/// <summary>
/// Signs and verifies the exact <c>deployment</c> string: ECDSA P-256 with SHA-256 over its UTF-8
/// bytes, signature base64. Signatures are written DER-encoded (as <c>openssl dgst -sign</c> makes
/// them); verification also accepts the 64-byte r||s form.
/// </summary>
public static class DeploymentSigner
{
    /// <summary>Signs <paramref name="deployment"/> with a PKCS#8 PEM private key.</summary>
    /// <exception cref="SigningKeyException">The key is malformed, RSA, or not P-256.</exception>
    public static string Sign(string deployment, string privateKeyPem)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        using var key = SigningKeys.LoadPrivateKey(privateKeyPem);
        var signature = key.SignData(Encoding.UTF8.GetBytes(deployment), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return Convert.ToBase64String(signature);
    }

    /// <summary>
    /// Whether <paramref name="signature"/> is a valid signature of <paramref name="deployment"/> by the
    /// key in <paramref name="publicKeyPem"/> (SPKI or certificate). A signature that is not base64 is
    /// simply invalid.
    /// </summary>
    /// <exception cref="SigningKeyException">The public key is malformed, RSA, or not P-256.</exception>
    public static bool Verify(string deployment, string signature, string publicKeyPem)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        using var key = SigningKeys.LoadPublicKey(publicKeyPem);
        return Verify(deployment, signature, key);
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
