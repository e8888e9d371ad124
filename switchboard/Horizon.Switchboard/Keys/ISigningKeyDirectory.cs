using Horizon.Switchboard.Addressing;
using NSec.Cryptography;

namespace Horizon.Switchboard.Keys;

/// <summary>Where a receiver finds the identity key a sender registered (in production: the exchange).</summary>
public interface ISigningKeyDirectory
{
    /// <summary>
    /// Returns the sender's registered Ed25519 identity key, or null when the party is not
    /// registered or has no usable identity key.
    /// </summary>
    /// <param name="refresh">Bypass any cache: the caller found the cached key did not verify.</param>
    ValueTask<PublicKey?> GetSigningKeyAsync(PartyAddress party, bool refresh, CancellationToken cancellationToken = default);
}
