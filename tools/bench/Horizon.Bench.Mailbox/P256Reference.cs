using System.Security.Cryptography;

namespace Horizon.Bench.Mailbox;

/// <summary>
/// The first version's envelope cryptography (ECDSA and ECDH on P-256 through OpenSSL, HKDF-SHA256,
/// AES-256-GCM), kept here only to time it beside the NSec envelope in one run: per seal a fresh
/// ephemeral key, one agreement and one signature; per open one verification and one agreement.
/// The peers' public keys are imported once, as the first version's key cache did.
/// </summary>
internal sealed class P256Reference : IDisposable
{
    private readonly ECDsa _senderSigning = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDiffieHellman _recipientEncryption = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _senderSigningPublic = ECDsa.Create();
    private readonly ECDiffieHellman _recipientEncryptionPublic = ECDiffieHellman.Create();
    private readonly byte[] _recipientSpki;

    public P256Reference()
    {
        _senderSigningPublic.ImportSubjectPublicKeyInfo(_senderSigning.ExportSubjectPublicKeyInfo(), out _);
        _recipientSpki = _recipientEncryption.ExportSubjectPublicKeyInfo();
        _recipientEncryptionPublic.ImportSubjectPublicKeyInfo(_recipientSpki, out _);
    }

    public (byte[] EphemeralSpki, byte[] Nonce, byte[] Ciphertext, byte[] Signature, byte[] Header) Seal(ReadOnlySpan<byte> payload, byte[] header)
    {
        using var ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var ephemeralSpki = ephemeral.ExportSubjectPublicKeyInfo();
        var nonce = RandomNumberGenerator.GetBytes(12);
        using var recipientPublic = _recipientEncryptionPublic.PublicKey;
        var secret = ephemeral.DeriveRawSecretAgreement(recipientPublic);
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, nonce, [.. ephemeralSpki, .. _recipientSpki]);
        var ciphertext = new byte[payload.Length + 16];
        using (var aes = new AesGcm(key, 16))
        {
            aes.Encrypt(nonce, payload, ciphertext.AsSpan(0, payload.Length), ciphertext.AsSpan(payload.Length), header);
        }
        var signature = _senderSigning.SignData((byte[])[.. header, .. ciphertext], HashAlgorithmName.SHA256);
        return (ephemeralSpki, nonce, ciphertext, signature, header);
    }

    public byte[] Open((byte[] EphemeralSpki, byte[] Nonce, byte[] Ciphertext, byte[] Signature, byte[] Header) sealedBytes)
    {
        if (!_senderSigningPublic.VerifyData((byte[])[.. sealedBytes.Header, .. sealedBytes.Ciphertext], sealedBytes.Signature, HashAlgorithmName.SHA256))
        {
            throw new CryptographicException("signature");
        }
        using var ephemeral = ECDiffieHellman.Create();
        ephemeral.ImportSubjectPublicKeyInfo(sealedBytes.EphemeralSpki, out _);
        using var ephemeralPublic = ephemeral.PublicKey;
        var secret = _recipientEncryption.DeriveRawSecretAgreement(ephemeralPublic);
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, sealedBytes.Nonce, [.. sealedBytes.EphemeralSpki, .. _recipientSpki]);
        var payload = new byte[sealedBytes.Ciphertext.Length - 16];
        using var aes = new AesGcm(key, 16);
        aes.Decrypt(sealedBytes.Nonce, sealedBytes.Ciphertext.AsSpan(0, payload.Length), sealedBytes.Ciphertext.AsSpan(payload.Length), payload, sealedBytes.Header);
        return payload;
    }

    public void Dispose()
    {
        _senderSigning.Dispose();
        _recipientEncryption.Dispose();
        _senderSigningPublic.Dispose();
        _recipientEncryptionPublic.Dispose();
    }
}
