using NATS.NKeys;

namespace Horizon.Switchboard.Keys;

/// <summary>
/// The raw key bytes inside NATS's text forms of keys ("nkeys"): a public key is base32 of one
/// prefix byte, 32 key bytes and a CRC-16; a seed is base32 of two prefix bytes, the 32-byte seed
/// and a CRC-16. NATS.NKeys checks the prefix and CRC; this only takes the bytes out, so the same
/// key can be used through NSec.
/// </summary>
public static class NKeyText
{
    private const int RawKeySize = 32;

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
        try
        {
            using var pair = KeyPair.FromSeed(seed);
            if (pair.Prefix != kind)
            {
                throw new FormatException($"a {pair.Prefix} seed where a {kind} seed belongs");
            }
        }
        catch (NKeysException e)
        {
            throw new FormatException("not a NATS seed", e);
        }
        return Decode(seed)[2..(2 + RawKeySize)];
    }

    private static byte[] Decode(string text)
    {
        var bytes = new byte[Base32.GetDataLength(text)];
        var written = Base32.FromBase32(text, bytes);
        return bytes[..written];
    }

    private static string Abbreviate(string text) => text.Length <= 12 ? text : text[..12] + "…";
}
