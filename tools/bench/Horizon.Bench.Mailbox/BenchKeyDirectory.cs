using System.Collections.Concurrent;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Keys;
using NSec.Cryptography;

namespace Horizon.Bench.Mailbox;

/// <summary>Registered public keys held in memory: the benchmark measures the mailbox, not exchange lookups (which are cached in production).</summary>
internal sealed class BenchKeyDirectory : ISigningKeyDirectory, IEncryptionKeyDirectory
{
    private readonly ConcurrentDictionary<PartyAddress, PartyKeys> _keys = new();

    public void Register(PartyAddress party, PartyKeys keys) => _keys[party] = keys;

    public ValueTask<PublicKey?> GetSigningKeyAsync(PartyAddress party, bool refresh, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_keys.TryGetValue(party, out var k) ? k.Identity.PublicKey : null);

    public ValueTask<PublicKey?> GetEncryptionKeyAsync(PartyAddress party, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_keys.TryGetValue(party, out var k) ? k.Encryption.PublicKey : null);
}
