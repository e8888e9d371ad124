using System.Collections.Concurrent;
using Horizon.Exchange.Client;
using Horizon.Switchboard.Addressing;
using NSec.Cryptography;

namespace Horizon.Switchboard.Keys;

/// <summary>
/// The public keys nodes and agbots registered in the exchange, cached: a message costs an
/// exchange call only the first time its party is seen, or when the cached key stops verifying.
/// A party the exchange does not know (404), or whose record holds no usable keys, has no keys;
/// other exchange failures propagate, so a message is retried later rather than refused for an outage.
/// </summary>
public sealed class ExchangeKeyDirectory(ExchangeClient exchange) : ISigningKeyDirectory, IEncryptionKeyDirectory
{
    private readonly ConcurrentDictionary<PartyAddress, RegisteredKeys> _cache = new();

    public async ValueTask<PublicKey?> GetSigningKeyAsync(PartyAddress party, bool refresh, CancellationToken cancellationToken = default) =>
        (await GetAsync(party, refresh, cancellationToken))?.Identity;

    public async ValueTask<PublicKey?> GetEncryptionKeyAsync(PartyAddress party, CancellationToken cancellationToken = default) =>
        (await GetAsync(party, refresh: false, cancellationToken))?.Encryption;

    /// <summary>Remembers keys read elsewhere (e.g. from a node search page), saving a read per party.</summary>
    public void Prime(PartyAddress party, RegisteredKeys keys) => _cache[party] = keys;

    /// <summary>Forgets a party, e.g. when the exchange's change feed says it was removed or changed.</summary>
    public void Forget(PartyAddress party) => _cache.TryRemove(party, out _);

    private async ValueTask<RegisteredKeys?> GetAsync(PartyAddress party, bool refresh, CancellationToken cancellationToken)
    {
        if (!refresh && _cache.TryGetValue(party, out var cached))
        {
            return cached;
        }
        string? identity;
        string? encryption;
        try
        {
            if (party.Kind == PartyKind.Node)
            {
                var node = await exchange.GetNodeAsync(party.Org, party.Id, cancellationToken);
                (identity, encryption) = (node.PublicKey, node.EncryptionKey);
            }
            else
            {
                var agbot = await exchange.GetAgbotAsync(party.Org, party.Id, cancellationToken);
                (identity, encryption) = (agbot.PublicKey, agbot.EncryptionKey);
            }
        }
        catch (ExchangeNotFoundException)
        {
            _cache.TryRemove(party, out _);
            return null;
        }
        if (RegisteredKeys.TryParse(identity, encryption) is not { } keys)
        {
            _cache.TryRemove(party, out _);
            return null;
        }
        _cache[party] = keys;
        return keys;
    }
}
