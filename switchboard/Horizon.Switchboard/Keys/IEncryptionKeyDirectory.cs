using Horizon.Switchboard.Addressing;
using NSec.Cryptography;

namespace Horizon.Switchboard.Keys;

/// <summary>Where a sender finds the encryption key a recipient registered (in production: the exchange).</summary>
public interface IEncryptionKeyDirectory
{
    /// <summary>The recipient's X25519 public key, or null when it has none registered.</summary>
    ValueTask<PublicKey?> GetEncryptionKeyAsync(PartyAddress party, CancellationToken cancellationToken = default);
}
