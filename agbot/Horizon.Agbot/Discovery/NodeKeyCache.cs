using System.Collections.Concurrent;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Keys;

namespace Horizon.Agbot.Discovery;

/// <summary>
/// The agbot's key directory: node keys taken from the node record the evaluation already read
/// (<see cref="Prime"/>), so sealing a proposal costs no second exchange call for the same record;
/// anything not primed, or a refresh after a signature failed, goes to the exchange. Registered
/// keys cannot be replaced silently (the exchange refuses), so a primed key stays right.
/// </summary>
public sealed class NodeKeyCache(ExchangeKeyDirectory exchange) : ISigningKeyDirectory, IEncryptionKeyDirectory
{
    private readonly ConcurrentDictionary<PartyAddress, (byte[] Signing, byte[] Encryption)> _primed = new();

    /// <summary>Remembers the keys of <paramref name="party"/> as its exchange record shows them; ignored when either is missing or unreadable.</summary>
    public void Prime(PartyAddress party, string? signingKey, string? encryptionKey)
    {
        ArgumentNullException.ThrowIfNull(party);
        if (string.IsNullOrWhiteSpace(signingKey) || string.IsNullOrWhiteSpace(encryptionKey))
        {
            return;
        }
        try
        {
            _primed[party] = (PartyKeys.ParsePublicKey(signingKey), PartyKeys.ParsePublicKey(encryptionKey));
        }
        catch (FormatException)
        {
            // The exchange directory reports the unreadable key when the message is sealed.
        }
    }

    /// <summary>Forgets a party (unregistered, or its key failed to verify).</summary>
    public void Forget(PartyAddress party)
    {
        _primed.TryRemove(party, out _);
        exchange.Forget(party);
    }

    public ValueTask<byte[]?> GetSigningKeyAsync(PartyAddress party, bool refresh, CancellationToken cancellationToken = default)
    {
        if (refresh)
        {
            _primed.TryRemove(party, out _);
        }
        else if (_primed.TryGetValue(party, out var keys))
        {
            return ValueTask.FromResult<byte[]?>(keys.Signing);
        }
        return exchange.GetSigningKeyAsync(party, refresh, cancellationToken);
    }

    public ValueTask<byte[]?> GetEncryptionKeyAsync(PartyAddress party, CancellationToken cancellationToken = default) =>
        _primed.TryGetValue(party, out var keys) ? ValueTask.FromResult<byte[]?>(keys.Encryption) : exchange.GetEncryptionKeyAsync(party, cancellationToken);
}
