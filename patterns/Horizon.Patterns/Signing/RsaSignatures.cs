using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace Horizon.Patterns.Signing;

/// <summary>
/// Open Horizon's deployment signatures: RSA over SHA-256 of the deployment's UTF-8 bytes. Its hzn signs
/// with RSASSA-PSS and a salt as long as the key allows (Go's <c>rsa.SignPSS</c> without options), and its
/// agent reads the salt's length from the signature; other tools sign PKCS #1 v1.5. .NET verifies PSS
/// only with a salt as long as the hash, so PSS is checked here as RFC 8017 §9.1.2 states it, with the
/// salt's length read from the signature. Horizon signs with an RSA key as .NET does (PSS, 32-byte
/// salt), which Open Horizon's agent verifies too.
/// </summary>
internal static class RsaSignatures
{
    /// <summary>Smaller keys are refused: 2048 bits is the least any current guidance accepts.</summary>
    public const int MinimumKeyBits = 2048;

    /// <summary>Larger keys are refused: a public operation on one costs too much to let a publisher choose it.</summary>
    public const int MaximumKeyBits = 16384;

    private const int HashLength = 32;

    public static byte[] Sign(RSA key, byte[] data) => key.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);

    public static bool Verify(RSA key, byte[] data, byte[] signature) =>
        VerifyPss(key.ExportParameters(false), data, signature) || VerifyPkcs1(key, data, signature);

    private static bool VerifyPkcs1(RSA key, byte[] data, byte[] signature)
    {
        try
        {
            return key.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    // RFC 8017 §8.1.2 (RSAVP1) and §9.1.2 (EMSA-PSS-VERIFY) with SHA-256 and MGF1-SHA-256, any salt length.
    private static bool VerifyPss(RSAParameters key, byte[] data, byte[] signature)
    {
        var modulus = new BigInteger(key.Modulus, isUnsigned: true, isBigEndian: true);
        var exponent = new BigInteger(key.Exponent, isUnsigned: true, isBigEndian: true);
        if (signature.Length != key.Modulus!.Length)
        {
            return false;
        }
        var s = new BigInteger(signature, isUnsigned: true, isBigEndian: true);
        if (s >= modulus)
        {
            return false;
        }
        var emBits = (int)modulus.GetBitLength() - 1;
        var emLength = (emBits + 7) / 8;
        var m = BigInteger.ModPow(s, exponent, modulus).ToByteArray(isUnsigned: true, isBigEndian: true);
        if (m.Length > emLength || emLength < HashLength + 2)
        {
            return false;
        }
        var em = new byte[emLength];
        m.CopyTo(em, emLength - m.Length);
        if (em[^1] != 0xbc)
        {
            return false;
        }
        var dbLength = emLength - HashLength - 1;
        var hash = em.AsSpan(dbLength, HashLength);
        var used = (byte)(0xff >> (8 * emLength - emBits));
        if ((em[0] & ~used) != 0)
        {
            return false;
        }
        var db = Mgf1(hash, dbLength);
        for (var i = 0; i < dbLength; i++)
        {
            db[i] ^= em[i];
        }
        db[0] &= used;
        // DB = PS (zeros) || 0x01 || salt: the first byte that is not zero must be 0x01.
        var one = db.AsSpan().IndexOfAnyExcept((byte)0);
        if (one < 0 || db[one] != 0x01)
        {
            return false;
        }
        var salt = db.AsSpan(one + 1);
        var prime = new byte[8 + HashLength + salt.Length];
        SHA256.HashData(data, prime.AsSpan(8, HashLength));
        salt.CopyTo(prime.AsSpan(8 + HashLength));
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(prime), hash);
    }

    private static byte[] Mgf1(ReadOnlySpan<byte> seed, int length)
    {
        var mask = new byte[length];
        var input = new byte[seed.Length + 4];
        seed.CopyTo(input);
        Span<byte> block = stackalloc byte[HashLength];
        for (var (counter, offset) = (0, 0); offset < length; counter++, offset += HashLength)
        {
            BinaryPrimitives.WriteInt32BigEndian(input.AsSpan(seed.Length), counter);
            SHA256.HashData(input, block);
            block[..Math.Min(HashLength, length - offset)].CopyTo(mask.AsSpan(offset));
        }
        return mask;
    }
}
