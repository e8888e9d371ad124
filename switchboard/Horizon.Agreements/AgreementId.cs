using System.Security.Cryptography;

namespace Horizon.Agreements;

/// <summary>Agreement ids: 32 random bytes, lower-case hex, as Open Horizon's Basic protocol uses.</summary>
public static class AgreementId
{
    public const int Length = 64;

    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>True for 64 lower-case hex characters.</summary>
    public static bool IsValid(string? id) =>
        id is { Length: Length } && id.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
