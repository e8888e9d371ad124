using System.Buffers.Binary;
using NATS.NKeys;

namespace Horizon.Switchboard.Keys;

/// <summary>
/// The raw key bytes inside NATS's text forms of keys ("nkeys"): a public key is base32 of one
/// prefix byte, 32 key bytes and a CRC-16; a seed is base32 of two prefix bytes, the 32-byte seed
/// and a CRC-16. Decoding and encoding here are text work only: no curve arithmetic. NATS.NKeys
/// derives a key pair for every seed it reads or makes, in managed code, which cost the fleet
/// simulator's nodes a quarter of their CPU (six curve operations per party key set); the keys
/// themselves are NSec's (libsodium), which derives public keys natively.
/// </summary>
public static class NKeyText
{
    private const int RawKeySize = 32;

    // The first character of every seed is 'S': the top five bits of its first byte.
    private const byte SeedPrefix = 18 << 3;

    /// <summary>The 32 raw bytes of a public key of the given kind (<c>U…</c> user, <c>X…</c> curve, <c>A…</c> account…).</summary>
    /// <exception cref="FormatException">The text is not a valid public key of that kind.</exception>
    public static byte[] PublicKeyBytes(string publicKey, PrefixByte kind)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (!IsPublicKey(publicKey, kind))
        {
            throw new FormatException($"not a NATS {kind} public key (\"{Abbreviate(publicKey)}\")");
        }
        return Decode(publicKey)[1..(1 + RawKeySize)];
    }

    /// <summary>Whether <paramref name="publicKey"/> is a valid public key of the given kind.</summary>
    public static bool IsPublicKey(string? publicKey, PrefixByte kind)
    {
        if (string.IsNullOrEmpty(publicKey) || publicKey.Length != 56)
        {
            return false;
        }
        try
        {
            return KeyPair.IsValidPublicKey(kind, publicKey);
        }
        catch (Exception e) when (e is NKeysException or ArgumentException or FormatException or IndexOutOfRangeException)
        {
            // NATS.NKeys throws rather than answering false for some malformed text (not base32, say).
            return false;
        }
    }

    /// <summary>The 32 raw bytes of a seed (<c>S…</c>), checked for its CRC and its kind.</summary>
    /// <exception cref="FormatException">The text is not a seed of that kind.</exception>
    public static byte[] SeedBytes(string seed, PrefixByte kind)
    {
        ArgumentNullException.ThrowIfNull(seed);
        byte[] raw;
        try
        {
            raw = Decode(seed);
        }
        catch (Exception e) when (e is NKeysException or ArgumentException or FormatException or IndexOutOfRangeException)
        {
            throw new FormatException("not a NATS seed", e);
        }
        if (raw.Length != 2 + RawKeySize + 2 || !CrcMatches(raw) || (raw[0] & 0xF8) != SeedPrefix)
        {
            throw new FormatException("not a NATS seed");
        }
        var seedKind = (byte)(((raw[0] & 0x07) << 5) | ((raw[1] & 0xF8) >> 3));
        if (seedKind != (byte)kind)
        {
            throw new FormatException($"a {Describe(seedKind)} seed where a {kind} seed belongs");
        }
        return raw[2..(2 + RawKeySize)];
    }

    /// <summary>The seed text (<c>S…</c>) of 32 raw seed bytes of the given kind, as NATS.NKeys writes it.</summary>
    /// <exception cref="ArgumentException"><paramref name="seed"/> is not 32 bytes.</exception>
    public static string EncodeSeed(PrefixByte kind, ReadOnlySpan<byte> seed)
    {
        if (seed.Length != RawKeySize)
        {
            throw new ArgumentException($"a seed is {RawKeySize} bytes, not {seed.Length}", nameof(seed));
        }
        Span<byte> raw = stackalloc byte[2 + RawKeySize + 2];
        raw[0] = (byte)(SeedPrefix | ((byte)kind >> 5));
        raw[1] = (byte)(((byte)kind & 0x1F) << 3);
        seed.CopyTo(raw[2..]);
        return Encode(raw);
    }

    /// <summary>The public key text (<c>U…</c>, <c>X…</c>…) of 32 raw public key bytes of the given kind.</summary>
    /// <exception cref="ArgumentException"><paramref name="publicKey"/> is not 32 bytes.</exception>
    public static string EncodePublicKey(PrefixByte kind, ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != RawKeySize)
        {
            throw new ArgumentException($"a public key is {RawKeySize} bytes, not {publicKey.Length}", nameof(publicKey));
        }
        Span<byte> raw = stackalloc byte[1 + RawKeySize + 2];
        raw[0] = (byte)kind;
        publicKey.CopyTo(raw[1..]);
        return Encode(raw);
    }

    // Payload and room for its CRC-16 (XMODEM, little-endian), then base32 without padding.
    private static string Encode(Span<byte> raw)
    {
        var payload = raw[..^2];
        BinaryPrimitives.WriteUInt16LittleEndian(raw[^2..], Crc16(payload));
        var text = new char[Base32.GetEncodedLength(raw)];
        var written = Base32.ToBase32(raw, text);
        return new string(text, 0, written);
    }

    private static bool CrcMatches(ReadOnlySpan<byte> raw) =>
        BinaryPrimitives.ReadUInt16LittleEndian(raw[^2..]) == Crc16(raw[..^2]);

    // CRC-16/XMODEM: polynomial 0x1021, initial value 0, no reflection.
    private static ushort Crc16(ReadOnlySpan<byte> data)
    {
        ushort crc = 0;
        foreach (var b in data)
        {
            crc ^= (ushort)(b << 8);
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000) != 0 ? (ushort)((crc << 1) ^ 0x1021) : (ushort)(crc << 1);
            }
        }
        return crc;
    }

    private static string Describe(byte kind) =>
        Enum.IsDefined((PrefixByte)kind) ? ((PrefixByte)kind).ToString() : $"0x{kind:x2}";

    private static byte[] Decode(string text)
    {
        var bytes = new byte[Base32.GetDataLength(text)];
        var written = Base32.FromBase32(text, bytes);
        return bytes[..written];
    }

    private static string Abbreviate(string text) => text.Length <= 12 ? text : text[..12] + "…";
}
