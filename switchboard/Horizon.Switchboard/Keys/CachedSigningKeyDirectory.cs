using System.Collections.Concurrent;
using Horizon.Switchboard.Addressing;
using NSec.Cryptography;

namespace Horizon.Switchboard.Keys;

/// <summary>
/// Caches registered signing keys so that verifying a message costs no exchange round trip;
/// a miss or an explicit refresh asks the source again. Unknown parties are not cached, so a
/// party that registers after its first refused message is found on its next one.
/// </summary>
public sealed class CachedSigningKeyDirectory(Func<PartyAddress, CancellationToken, ValueTask<PublicKey?>> source) : ISigningKeyDirectory
{
    private readonly ConcurrentDictionary<PartyAddress, PublicKey> _cache = new();

    public async ValueTask<PublicKey?> GetSigningKeyAsync(PartyAddress party, bool refresh, CancellationToken cancellationToken = default)
    {
        if (!refresh && _cache.TryGetValue(party, out var cached))
        {
            return cached;
        }
        var key = await source(party, cancellationToken);
        if (key is null)
        {
            _cache.TryRemove(party, out _);
            return null;
        }
        _cache[party] = key;
        return key;
    }

    /// <summary>Forgets a party, e.g. after the exchange reported it removed.</summary>
    public void Forget(PartyAddress party) => _cache.TryRemove(party, out _);
}
