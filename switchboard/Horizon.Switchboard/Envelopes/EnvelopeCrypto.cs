using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace Horizon.Switchboard.Envelopes;

/// <summary>
/// The byte-level constructions shared by sealing and opening: X25519 ephemeral-static agreement,
/// HKDF-SHA256 bound to both public keys and the nonce, AES-256-GCM with the header as associated
/// data, Ed25519 over header and ciphertext.
/// </summary>
internal static class EnvelopeCrypto
{
    /// <summary>2: Ed25519 + X25519 (1 was ECDSA + ECDH on P-256).</summary>
    public const int CurrentVersion = 2;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int KeySize = 32;
    public const int PublicKeySize = 32;
    public const int SignatureSize = 64;
    private static readonly byte[] Magic = "hzn-envelope"u8.ToArray();
    private static readonly byte[] KdfLabel = "horizon/envelope/v2/x25519-hkdf-sha256-aes-256-gcm"u8.ToArray();

    // libsodium implements AES-256-GCM only where the CPU has AES and carry-less multiply
    // instructions; edge boards without them (a Raspberry Pi 4, for one) still must open envelopes,
    // so the same construction falls back to the runtime's AES-GCM (OpenSSL) there.
    private static readonly bool SodiumAesGcm = Aes256Gcm.IsSupported;

    /// <summary>
    /// The header as associated data and signed bytes: every header field, each length-prefixed,
    /// so no two different headers share an encoding.
    /// </summary>
    public static byte[] HeaderBytes(Envelope e)
    {
        using var buffer = new MemoryStream(256);
        Write(buffer, Magic);
        WriteInt64(buffer, e.Version);
        Write(buffer, Encoding.UTF8.GetBytes(e.Id));
        Write(buffer, Encoding.UTF8.GetBytes(e.From));
        Write(buffer, Encoding.UTF8.GetBytes(e.To));
        WriteInt64(buffer, e.Sent);
        WriteInt64(buffer, e.Expires);
        Write(buffer, Encoding.UTF8.GetBytes(e.EphemeralKey));
        Write(buffer, Encoding.UTF8.GetBytes(e.Nonce));
        return buffer.ToArray();
    }

    /// <summary>The bytes the sender signs: the header followed by the ciphertext with its tag.</summary>
    public static byte[] SignedBytes(byte[] header, byte[] ciphertext)
    {
        var signed = new byte[header.Length + ciphertext.Length];
        header.CopyTo(signed, 0);
        ciphertext.CopyTo(signed, header.Length);
        return signed;
    }

    /// <summary>The AES-256-GCM key: X25519(private, public) through HKDF-SHA256, bound to both public keys and the nonce.</summary>
    /// <exception cref="CryptographicException">The agreement failed (e.g. a low-order public key).</exception>
    public static byte[] DeriveKey(Key privateKey, PublicKey peerPublicKey, ReadOnlySpan<byte> ephemeralPublicKey, ReadOnlySpan<byte> recipientPublicKey, ReadOnlySpan<byte> nonce)
    {
        using var secret = KeyAgreementAlgorithm.X25519.Agree(privateKey, peerPublicKey)
            ?? throw new CryptographicException("the X25519 agreement failed (low-order public key)");
        var info = new byte[KdfLabel.Length + ephemeralPublicKey.Length + recipientPublicKey.Length];
        KdfLabel.CopyTo(info, 0);
        ephemeralPublicKey.CopyTo(info.AsSpan(KdfLabel.Length));
        recipientPublicKey.CopyTo(info.AsSpan(KdfLabel.Length + ephemeralPublicKey.Length));
        return KeyDerivationAlgorithm.HkdfSha256.DeriveBytes(secret, nonce, info, KeySize);
    }

    /// <summary>Encrypts <paramref name="plaintext"/>; returns ciphertext followed by the 16-byte tag.</summary>
    public static byte[] Encrypt(byte[] key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var sealedBytes = new byte[plaintext.Length + TagSize];
        if (SodiumAesGcm)
        {
            using var aead = Key.Import(AeadAlgorithm.Aes256Gcm, key, KeyBlobFormat.RawSymmetricKey);
            AeadAlgorithm.Aes256Gcm.Encrypt(aead, nonce, associatedData, plaintext, sealedBytes);
        }
        else
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(0, plaintext.Length), sealedBytes.AsSpan(plaintext.Length), associatedData);
        }
        return sealedBytes;
    }

    /// <summary>The plaintext, or null when the tag does not verify under this key, nonce and associated data.</summary>
    public static byte[]? Decrypt(byte[] key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> associatedData)
    {
        var plaintext = new byte[ciphertext.Length - TagSize];
        if (SodiumAesGcm)
        {
            using var aead = Key.Import(AeadAlgorithm.Aes256Gcm, key, KeyBlobFormat.RawSymmetricKey);
            return AeadAlgorithm.Aes256Gcm.Decrypt(aead, nonce, associatedData, ciphertext, plaintext) ? plaintext : null;
        }
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(nonce, ciphertext[..plaintext.Length], ciphertext[plaintext.Length..], plaintext, associatedData);
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    private static void Write(Stream stream, byte[] value)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, value.Length);
        stream.Write(length);
        stream.Write(value);
    }

    private static void WriteInt64(Stream stream, long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        stream.Write(bytes);
    }
}
