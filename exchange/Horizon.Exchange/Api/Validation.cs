using System.Security.Cryptography;

namespace Horizon.Exchange.Api;

/// <summary>Checks on identifiers and keys that every resource shares.</summary>
internal static class Validation
{
    /// <summary>An id usable in a URL path segment and a NATS subject token: no '/', ':', spaces, '*', '>' or '.'-only.</summary>
    public static string? CheckId(string what, string id)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 256)
        {
            return $"{what} must be 1 to 256 characters";
        }
        return id.IndexOfAny(['/', ':', ' ', '*', '>', '%', '\t', '\n', '\r']) >= 0
            ? $"{what} '{id}' must not contain '/', ':', '%', whitespace, '*' or '>'"
            : null;
    }

    /// <summary>
    /// A public key must be an EC P-256 SubjectPublicKeyInfo, as PEM or base64 DER; an empty key is
    /// allowed (not registered yet).
    /// </summary>
    public static string? CheckPublicKey(string what, string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return null;
        }
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
            return ec.KeySize == 256 ? null : $"{what} must be a P-256 key, not {ec.KeySize} bits";
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            return $"{what} is not an EC P-256 public key (SPKI PEM or base64): {e.Message}";
        }
    }
}
