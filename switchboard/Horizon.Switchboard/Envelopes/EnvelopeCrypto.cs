using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Horizon.Switchboard.Envelopes;

/// <summary>The byte-level constructions shared by sealing and opening.</summary>
internal static class EnvelopeCrypto
{
    public const int CurrentVersion = 1;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int KeySize = 32;
    private static readonly byte[] Magic = "hzn-envelope"u8.ToArray();
    private static readonly byte[] KdfLabel = "horizon/envelope/v1/aes-256-gcm"u8.ToArray();

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

    /// <summary>HKDF-SHA256 over the ECDH secret, bound to both public keys and the nonce.</summary>
    public static byte[] DeriveKey(byte[] sharedSecret, byte[] ephemeralPublicKey, byte[] recipientPublicKey, byte[] nonce)
    {
        var info = new byte[KdfLabel.Length + ephemeralPublicKey.Length + recipientPublicKey.Length];
        KdfLabel.CopyTo(info, 0);
        ephemeralPublicKey.CopyTo(info, KdfLabel.Length);
        recipientPublicKey.CopyTo(info, KdfLabel.Length + ephemeralPublicKey.Length);
        return HKDF.DeriveKey(HashAlgorithmName.SHA256, sharedSecret, KeySize, nonce, info);
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
