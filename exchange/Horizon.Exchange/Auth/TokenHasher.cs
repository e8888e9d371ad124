using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Horizon.Exchange.Auth;

/// <summary>
/// Salted PBKDF2-SHA256 token hashes in the text form <c>pbkdf2-sha256$iterations$salt$hash</c>
/// (base64), so the iteration count can be raised later without invalidating stored hashes.
/// </summary>
public sealed class TokenHasher(int iterations)
{
    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public int Iterations { get; } = iterations > 0 ? iterations : throw new ArgumentOutOfRangeException(nameof(iterations));

    public string Hash(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(token), salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
        return $"{Scheme}${Iterations.ToString(CultureInfo.InvariantCulture)}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>True when <paramref name="token"/> matches <paramref name="stored"/>; false for any malformed hash.</summary>
    public static bool Verify(string token, string stored)
    {
        ArgumentNullException.ThrowIfNull(token);
        var parts = (stored ?? "").Split('$');
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations <= 0)
        {
            return false;
        }
        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var expected = Convert.FromBase64String(parts[3]);
            var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(token), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
