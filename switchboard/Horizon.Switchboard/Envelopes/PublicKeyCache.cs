using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Horizon.Switchboard.Envelopes;

/// <summary>
/// Registered public keys already imported into OpenSSL, by their SPKI bytes. Importing a key costs
/// about as much as the signature check it serves (the mailbox benchmark's open and seal stages), and
/// a party talks to the same few peers over and over. Keys are public, so one cache serves every
/// mailbox of a process. Each entry is used under its own lock: an OpenSSL key object is not
/// documented as safe for concurrent use. At capacity the cache starts over rather than tracking age.
/// </summary>
internal sealed class PublicKeyCache<TKey>(Func<byte[], TKey> import) where TKey : AsymmetricAlgorithm
{
    private const int Capacity = 4096;
    private readonly ConcurrentDictionary<string, TKey> _keys = new(StringComparer.Ordinal);

    /// <exception cref="CryptographicException"><paramref name="spki"/> is not a key of the expected kind.</exception>
    public TResult Use<TResult>(byte[] spki, Func<TKey, TResult> use)
    {
        var name = Convert.ToBase64String(spki);
        if (!_keys.TryGetValue(name, out var key))
        {
            if (_keys.Count >= Capacity)
            {
                // Keys still in use elsewhere stay valid; the dropped ones are finalized by their safe handles.
                _keys.Clear();
            }
            key = _keys.GetOrAdd(name, _ => import(spki));
        }
        lock (key)
        {
            return use(key);
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
