using Horizon.Switchboard.Addressing;

namespace Horizon.Switchboard.Keys;

/// <summary>Where a sender finds the encryption key a recipient registered (in production: the exchange).</summary>
public interface IEncryptionKeyDirectory
{
    /// <summary>The recipient's ECDH P-256 public key (SPKI DER), or null when it has none registered.</summary>
    ValueTask<byte[]?> GetEncryptionKeyAsync(PartyAddress party, CancellationToken cancellationToken = default);
}
