using System.Collections.Concurrent;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Keys;
using NSec.Cryptography;

namespace Horizon.Switchboard.Tests.Mailboxes;

/// <summary>The public keys parties registered, standing in for the exchange's node and agbot records.</summary>
internal sealed class KeyRegistry : ISigningKeyDirectory, IEncryptionKeyDirectory
{
    private readonly ConcurrentDictionary<PartyAddress, PartyKeys> _keys = new();

    public void Register(PartyAddress party, PartyKeys keys) => _keys[party] = keys;

    public ValueTask<PublicKey?> GetSigningKeyAsync(PartyAddress party, bool refresh, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_keys.TryGetValue(party, out var keys) ? keys.Identity.PublicKey : null);

    public ValueTask<PublicKey?> GetEncryptionKeyAsync(PartyAddress party, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_keys.TryGetValue(party, out var keys) ? keys.Encryption.PublicKey : null);
}
