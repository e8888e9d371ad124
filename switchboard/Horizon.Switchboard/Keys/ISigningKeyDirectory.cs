using Horizon.Switchboard.Addressing;

namespace Horizon.Switchboard.Keys;

/// <summary>Where a receiver finds the signing key a sender registered (in production: the exchange).</summary>
public interface ISigningKeyDirectory
{
    /// <summary>
    /// Returns the sender's registered ECDSA P-256 public key (SPKI DER), or null when the party
    /// is not registered or has no signing key.
    /// </summary>
    /// <param name="refresh">Bypass any cache: the caller found the cached key did not verify.</param>
    ValueTask<byte[]?> GetSigningKeyAsync(PartyAddress party, bool refresh, CancellationToken cancellationToken = default);
}
