using System.Collections.Concurrent;
using System.Security.Cryptography;
using Horizon.Patterns.Signing;

namespace Horizon.NodeAgent.Decisions;

/// <summary>
/// Publisher keys parsed once per PEM text, so a proposal's signature check does not decode PEM and
/// import the key again each time (a node sees the same few publishers over and over). Bounded: past
/// <see cref="Capacity"/> distinct keys, a key is parsed for its one check and disposed. A cached key is
/// never disposed, so no check can meet a disposed key; each key is used by one check at a time.
/// </summary>
internal static class PublisherKeyCache
{
    /// <summary>The most distinct publisher keys kept parsed.</summary>
    internal const int Capacity = 256;

    private static readonly ConcurrentDictionary<string, AsymmetricAlgorithm> Keys = new(StringComparer.Ordinal);

    /// <summary>How many parsed keys are held (for tests).</summary>
    internal static int Count => Keys.Count;

    /// <summary>
    /// Whether <paramref name="signature"/> signs <paramref name="deployment"/> with the key in <paramref name="publicKeyPem"/>,
    /// as <see cref="DeploymentSigner.Verify(string, string, string)"/>.
    /// </summary>
    /// <exception cref="SigningKeyException">The public key is malformed or unsupported (not cached).</exception>
    public static bool Verify(string deployment, string signature, string publicKeyPem)
    {
        if (!Keys.TryGetValue(publicKeyPem, out var key))
        {
            if (Keys.Count >= Capacity)
            {
                return DeploymentSigner.Verify(deployment, signature, publicKeyPem);
            }
            var parsed = SigningKeys.LoadSigningPublicKey(publicKeyPem);
            key = Keys.GetOrAdd(publicKeyPem, parsed);
            if (!ReferenceEquals(key, parsed))
            {
                parsed.Dispose();
            }
        }
        lock (key)
        {
            return DeploymentSigner.Verify(deployment, signature, key);
        }
    }
}
