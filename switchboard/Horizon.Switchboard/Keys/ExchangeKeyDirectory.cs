using System.Collections.Concurrent;
using Horizon.Exchange.Client;
using Horizon.Switchboard.Addressing;

namespace Horizon.Switchboard.Keys;

/// <summary>
/// The public keys nodes and agbots registered in the exchange, cached: a message costs an
/// exchange call only the first time its party is seen, or when the cached key stops verifying.
/// A party the exchange does not know (404) has no keys; other exchange failures propagate, so
/// a message is retried later rather than refused for an outage.
/// </summary>
public sealed class ExchangeKeyDirectory(ExchangeClient exchange) : ISigningKeyDirectory, IEncryptionKeyDirectory
{
    private readonly ConcurrentDictionary<PartyAddress, RegisteredKeys> _cache = new();

    public async ValueTask<byte[]?> GetSigningKeyAsync(PartyAddress party, bool refresh, CancellationToken cancellationToken = default) =>
        (await GetAsync(party, refresh, cancellationToken))?.Signing;

    public async ValueTask<byte[]?> GetEncryptionKeyAsync(PartyAddress party, CancellationToken cancellationToken = default) =>
        (await GetAsync(party, refresh: false, cancellationToken))?.Encryption;

    /// <summary>Forgets a party, e.g. when the exchange's change feed says it was removed or changed.</summary>
    public void Forget(PartyAddress party) => _cache.TryRemove(party, out _);

    private async ValueTask<RegisteredKeys?> GetAsync(PartyAddress party, bool refresh, CancellationToken cancellationToken)
    {
        if (!refresh && _cache.TryGetValue(party, out var cached))
        {
            return cached;
        }
        string? signing;
        string? encryption;
        try
        {
            if (party.Kind == PartyKind.Node)
            {
                var node = await exchange.GetNodeAsync(party.Org, party.Id, cancellationToken);
                (signing, encryption) = (node.PublicKey, node.EncryptionKey);
            }
            else
            {
                var agbot = await exchange.GetAgbotAsync(party.Org, party.Id, cancellationToken);
                (signing, encryption) = (agbot.PublicKey, agbot.EncryptionKey);
            }
        }
        catch (ExchangeNotFoundException)
        {
            _cache.TryRemove(party, out _);
            return null;
        }
        if (string.IsNullOrWhiteSpace(signing) || string.IsNullOrWhiteSpace(encryption))
        {
            return null;
        }
        var keys = new RegisteredKeys(PartyKeys.ParsePublicKey(signing), PartyKeys.ParsePublicKey(encryption));
        _cache[party] = keys;
        return keys;
    }

    private sealed record RegisteredKeys(byte[] Signing, byte[] Encryption);
}
