using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

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

    /// <summary>
    /// The AES-256-GCM key into <paramref name="key"/>: X25519(private, peer public) through
    /// HKDF-SHA256 (salt: the nonce; info: the label, the ephemeral and the recipient public key).
    /// False when the agreement fails (a low-order peer key). The shared secret never leaves this
    /// method's stack and is zeroed before it returns.
    /// </summary>
    public static bool TryDeriveKey(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> peerPublicKey, ReadOnlySpan<byte> ephemeralPublicKey,
        ReadOnlySpan<byte> recipientPublicKey, ReadOnlySpan<byte> nonce, Span<byte> key)
    {
        Span<byte> secret = stackalloc byte[X25519Native.KeySize];
        try
        {
            if (!X25519Native.TryAgree(privateKey, peerPublicKey, secret))
            {
                return false;
            }
            Span<byte> info = stackalloc byte[KdfLabel.Length + ephemeralPublicKey.Length + recipientPublicKey.Length];
            KdfLabel.CopyTo(info);
            ephemeralPublicKey.CopyTo(info[KdfLabel.Length..]);
            recipientPublicKey.CopyTo(info[(KdfLabel.Length + ephemeralPublicKey.Length)..]);
            HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, key[..KeySize], nonce, info);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    // AES-256-GCM through the runtime (OpenSSL): NSec's libsodium AES-GCM needs the key imported into
    // sodium_malloc'd memory for every envelope (and exists only on CPUs with AES-NI and CLMUL), while
    // the construction and its bytes are the same.

    /// <summary>Encrypts <paramref name="plaintext"/>; returns ciphertext followed by the 16-byte tag.</summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var sealedBytes = new byte[plaintext.Length + TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(0, plaintext.Length), sealedBytes.AsSpan(plaintext.Length), associatedData);
        return sealedBytes;
    }

    /// <summary>The plaintext, or null when the tag does not verify under this key, nonce and associated data.</summary>
    public static byte[]? Decrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> associatedData)
    {
        if (ciphertext.Length < TagSize)
        {
            return null;
        }
        var plaintext = new byte[ciphertext.Length - TagSize];
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
