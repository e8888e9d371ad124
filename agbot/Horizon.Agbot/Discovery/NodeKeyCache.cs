using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Keys;
using NSec.Cryptography;

namespace Horizon.Agbot.Discovery;

/// <summary>
/// The agbot's key directory: node keys taken from the node record the evaluation already read
/// (<see cref="Prime"/>), so sealing a proposal costs no second exchange call for the same record;
/// anything not primed, or a refresh after a signature failed, goes to the exchange. Registered
/// keys cannot be replaced silently (the exchange refuses), so a primed key stays right.
/// </summary>
public sealed class NodeKeyCache(ExchangeKeyDirectory exchange) : ISigningKeyDirectory, IEncryptionKeyDirectory
{
    /// <summary>Remembers the keys of <paramref name="party"/> as its exchange record shows them; ignored when either is missing or of another kind.</summary>
    public void Prime(PartyAddress party, string? identityKey, string? encryptionKey)
    {
        ArgumentNullException.ThrowIfNull(party);
        if (RegisteredKeys.TryParse(identityKey, encryptionKey) is { } keys)
        {
            exchange.Prime(party, keys);
        }
    }

    /// <summary>Forgets a party (unregistered, or its key failed to verify).</summary>
    public void Forget(PartyAddress party) => exchange.Forget(party);

    public ValueTask<PublicKey?> GetSigningKeyAsync(PartyAddress party, bool refresh, CancellationToken cancellationToken = default) =>
        exchange.GetSigningKeyAsync(party, refresh, cancellationToken);

    public ValueTask<PublicKey?> GetEncryptionKeyAsync(PartyAddress party, CancellationToken cancellationToken = default) =>
        exchange.GetEncryptionKeyAsync(party, cancellationToken);
}
