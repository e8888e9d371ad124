using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Horizon.Exchange.Auth;

/// <summary>
/// Salted PBKDF2-SHA256 token hashes in the text form <c>pbkdf2-sha256$iterations$salt$hash</c>
/// (base64), so the iteration count can be raised later without invalidating stored hashes.
/// </summary>
/// <remarks>
/// Iterations exist to make guessing a low-entropy secret from a leaked hash slow. User passwords
/// are chosen by people, so they always get <see cref="Iterations"/>. Node and agbot tokens of at
/// least <see cref="MachineTokenMinLength"/> characters are treated as machine-generated secrets
/// (32 random characters carry far more than 128 bits): no amount of stretching changes the cost
/// of guessing those, so they get <see cref="MachineTokenIterations"/> (by default one, which is
/// HMAC-SHA256 keyed by the token over the salt — still salted and one-way). Registering thousands
/// of nodes then costs microseconds each instead of milliseconds. Shorter machine tokens are
/// stretched like passwords. Both kinds share one format, so every stored hash verifies the same way.
/// </remarks>
public sealed class TokenHasher
{
    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>The shortest node or agbot token treated as machine-generated.</summary>
    public const int MachineTokenMinLength = 32;

    /// <param name="iterations">PBKDF2 iterations for user passwords and short machine tokens.</param>
    /// <param name="machineTokenIterations">PBKDF2 iterations for node and agbot tokens of at least <see cref="MachineTokenMinLength"/> characters.</param>
    /// <exception cref="ArgumentOutOfRangeException">An iteration count is not positive.</exception>
    public TokenHasher(int iterations, int machineTokenIterations = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(iterations);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(machineTokenIterations);
        Iterations = iterations;
        MachineTokenIterations = machineTokenIterations;
    }

    public int Iterations { get; }

    public int MachineTokenIterations { get; }

    /// <summary>Hashes a user's password (always stretched with <see cref="Iterations"/>).</summary>
    public string Hash(string token) => Hash(token, Iterations);

    /// <summary>Hashes a node's or agbot's token: cheaply when it is long enough to be machine-generated.</summary>
    public string HashMachineToken(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Hash(token, token.Length >= MachineTokenMinLength ? MachineTokenIterations : Iterations);
    }

    private static string Hash(string token, int iterations)
    {
        ArgumentNullException.ThrowIfNull(token);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(token), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return $"{Scheme}${iterations.ToString(CultureInfo.InvariantCulture)}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
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
            if (expected.Length == 0)
            {
                return false;
            }
            var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(token), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The iteration count recorded in a stored hash, or 0 when it is malformed.</summary>
    public static int IterationsOf(string stored)
    {
        var parts = (stored ?? "").Split('$');
        return parts.Length == 4 && parts[0] == Scheme && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
    }
}
