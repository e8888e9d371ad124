using System.Security.Cryptography;

namespace Horizon.Nats.Internal;

/// <summary>Random, subject-safe identifiers for inboxes.</summary>
internal static class Nuid
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>22 characters of base62: about 131 bits, as many as a GUID.</summary>
    public static string Next() => RandomNumberGenerator.GetString(Alphabet, 22);
}
