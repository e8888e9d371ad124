using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Horizon.Switchboard.Envelopes;

/// <summary>
/// X25519 straight from libsodium (the library NSec ships and loads), on plain buffers. NSec keeps
/// every key and shared secret in sodium_malloc'd memory: guard pages, mlock and mprotect, several
/// system calls per object. Sealing an envelope made three such objects (the ephemeral key, the
/// shared secret, the AES key) and opening two; that was 10–15 % of the agbot's and the nodes' CPU
/// in a fleet formation (dotnet-trace, docs/benchmarks.md §10). Here the ephemeral key, the shared
/// secret and the derived key live in ordinary buffers that are zeroed right after use.
/// </summary>
internal static partial class X25519Native
{
    public const int KeySize = 32;

    static X25519Native()
    {
        // Idempotent and thread-safe; NSec calls it too. 0: initialized now, 1: already, -1: failed.
        if (SodiumInit() < 0)
        {
            throw new CryptographicException("libsodium failed to initialize");
        }
    }

    /// <summary>A new private key (32 random bytes; the scalar is clamped by every use) and its public key.</summary>
    public static void CreateKey(Span<byte> privateKey, Span<byte> publicKey)
    {
        RandomNumberGenerator.Fill(privateKey);
        PublicKeyOf(privateKey, publicKey);
    }

    /// <summary>The public key of <paramref name="privateKey"/> (scalar multiplication of the base point).</summary>
    public static void PublicKeyOf(ReadOnlySpan<byte> privateKey, Span<byte> publicKey)
    {
        Check(privateKey, nameof(privateKey));
        Check(publicKey, nameof(publicKey));
        if (ScalarMultBase(publicKey, privateKey) != 0)
        {
            throw new CryptographicException("X25519 public key derivation failed");
        }
    }

    /// <summary>
    /// X25519(<paramref name="privateKey"/>, <paramref name="peerPublicKey"/>) into <paramref name="sharedSecret"/>;
    /// false for a low-order peer key (the result would be all zeros), as NSec's agreement refuses it.
    /// </summary>
    public static bool TryAgree(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> peerPublicKey, Span<byte> sharedSecret)
    {
        Check(privateKey, nameof(privateKey));
        Check(peerPublicKey, nameof(peerPublicKey));
        Check(sharedSecret, nameof(sharedSecret));
        return ScalarMult(sharedSecret, privateKey, peerPublicKey) == 0;
    }

    private static void Check(ReadOnlySpan<byte> value, string name)
    {
        if (value.Length != KeySize)
        {
            throw new ArgumentException($"an X25519 key is {KeySize} bytes, not {value.Length}", name);
        }
    }

    [LibraryImport("libsodium", EntryPoint = "sodium_init")]
    private static partial int SodiumInit();

    [LibraryImport("libsodium", EntryPoint = "crypto_scalarmult_curve25519_base")]
    private static partial int ScalarMultBase(Span<byte> q, ReadOnlySpan<byte> n);

    [LibraryImport("libsodium", EntryPoint = "crypto_scalarmult_curve25519")]
    private static partial int ScalarMult(Span<byte> q, ReadOnlySpan<byte> n, ReadOnlySpan<byte> p);
}
