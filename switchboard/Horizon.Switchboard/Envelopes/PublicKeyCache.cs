using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Horizon.Switchboard.Envelopes;

/// <summary>
/// Registered public keys already imported into OpenSSL, by their SPKI bytes. Importing a key costs
/// about as much as the signature check it serves (the mailbox benchmark's open and seal stages), and
/// a party talks to the same peers over and over. Keys are public, so one cache serves every mailbox
/// of a process.
/// </summary>
/// <remarks>
/// An OpenSSL key object is not documented as safe for concurrent use, so each caller borrows an
/// instance of its own: a key in use is imported once more rather than waited for. A shared
/// instance under a lock made a thousand simulated nodes sealing to their one agbot spend a quarter
/// of their CPU spinning on that lock. An agbot talks to every node of its fleet, so the cache holds
/// far more keys than a node ever needs; at capacity it starts over rather than tracking age.
/// </remarks>
internal sealed class PublicKeyCache<TKey>(Func<byte[], TKey> import) where TKey : AsymmetricAlgorithm
{
    private const int Capacity = 65_536;
    private readonly ConcurrentDictionary<string, ConcurrentStack<TKey>> _keys = new(StringComparer.Ordinal);

    /// <exception cref="CryptographicException"><paramref name="spki"/> is not a key of the expected kind.</exception>
    public TResult Use<TResult>(byte[] spki, Func<TKey, TResult> use)
    {
        var name = Convert.ToBase64String(spki);
        if (!_keys.TryGetValue(name, out var idle))
        {
            if (_keys.Count >= Capacity)
            {
                // Instances borrowed right now go back to their dropped stacks and are finalized with them.
                _keys.Clear();
            }
            idle = _keys.GetOrAdd(name, _ => new ConcurrentStack<TKey>());
        }
        var key = idle.TryPop(out var imported) ? imported : import(spki);
        try
        {
            return use(key);
        }
        finally
        {
            idle.Push(key);
        }
    }

    public static PublicKeyCache<ECDsa> SigningKeys { get; } = new(spki =>
    {
        var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(spki, out _);
        return key;
    });
}

/// <summary>The recipients' encryption keys, imported once (see <see cref="PublicKeyCache{TKey}"/>).</summary>
internal static class EncryptionKeyCache
{
    public static PublicKeyCache<ECDiffieHellman> Keys { get; } = new(spki =>
    {
        var key = ECDiffieHellman.Create();
        key.ImportSubjectPublicKeyInfo(spki, out _);
        return key;
    });
}
