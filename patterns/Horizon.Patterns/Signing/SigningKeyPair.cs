namespace Horizon.Patterns.Signing;

/// <summary>A P-256 key pair as PEM: PKCS#8 private key and SPKI public key. Never log <see cref="PrivateKeyPem"/>.</summary>
public sealed record SigningKeyPair(string PrivateKeyPem, string PublicKeyPem)
{
    /// <summary>The key id of <see cref="PublicKeyPem"/>; see <see cref="SigningKeys.KeyId(string)"/>.</summary>
    public string KeyId => SigningKeys.KeyId(PublicKeyPem);

    public override string ToString() => $"SigningKeyPair {{ KeyId = {KeyId} }}";
}
