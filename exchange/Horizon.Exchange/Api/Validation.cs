using System.Security.Cryptography;
using Horizon.Exchange.Client;
using NATS.NKeys;

namespace Horizon.Exchange.Api;

/// <summary>Checks on identifiers and keys that every resource shares.</summary>
internal static class Validation
{
    /// <summary>The one id rule (<see cref="ExchangeIds.Check"/>); null when <paramref name="id"/> follows it.</summary>
    public static string? CheckId(string what, string? id) => ExchangeIds.Check(what, id);

    /// <summary>
    /// A party's identity key (<c>publicKey</c>): its Ed25519 key as a NATS user public key
    /// (<c>U…</c>), which is also its NATS nkey. Empty is allowed (not registered yet). An EC P-256
    /// SPKI key (the first version's) is still accepted on the record, but no longer gets NATS credentials.
    /// </summary>
    public static string? CheckIdentityKey(string what, string? key) =>
        string.IsNullOrEmpty(key) || IsNKey(PrefixByte.User, key) || IsLegacyP256(key)
            ? null
            : $"{what} must be an Ed25519 NATS user public key (U…, 56 characters)";

    /// <summary>
    /// A party's encryption key (<c>encryptionKey</c>): its X25519 key as a NATS curve public key
    /// (<c>X…</c>). Empty is allowed; a first-version EC P-256 SPKI key is still accepted.
    /// </summary>
    public static string? CheckEncryptionKey(string what, string? key) =>
        string.IsNullOrEmpty(key) || IsNKey(PrefixByte.Curve, key) || IsLegacyP256(key)
            ? null
            : $"{what} must be an X25519 NATS curve public key (X…, 56 characters)";

    private static bool IsNKey(PrefixByte kind, string key)
    {
        var text = key.Trim();
        try
        {
            return text.Length == 56 && KeyPair.IsValidPublicKey(kind, text);
        }
        catch (Exception e) when (e is NKeysException or ArgumentException or FormatException or IndexOutOfRangeException)
        {
            // NATS.NKeys throws rather than answering false for text that is not base32.
            return false;
        }
    }

    private static bool IsLegacyP256(string key)
    {
        try
        {
            using var ec = ECDsa.Create();
            if (key.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                ec.ImportFromPem(key);
            }
            else
            {
                ec.ImportSubjectPublicKeyInfo(Convert.FromBase64String(key), out _);
            }
            return ec.KeySize == 256;
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            return false;
        }
    }
}
