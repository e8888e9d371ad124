using System.Security.Cryptography;
using System.Text.Json;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Keys;
using NSec.Cryptography;

namespace Horizon.Switchboard.Envelopes;

/// <summary>
/// Seals payloads for one recipient: a fresh ephemeral X25519 key agreed with the recipient's
/// registered encryption key, HKDF-SHA256, AES-256-GCM with the header as associated data, and an
/// Ed25519 signature by this party's identity key over header and ciphertext.
/// </summary>
public sealed class EnvelopeSealer(PartyAddress self, PartyKeys keys, EnvelopeOptions options, TimeProvider timeProvider)
{
    public PartyAddress Self { get; } = self;

    /// <summary>Seals <paramref name="payload"/> for <paramref name="recipient"/>.</summary>
    /// <param name="recipientEncryptionKey">The recipient's X25519 public key from the exchange.</param>
    /// <exception cref="ArgumentException">The recipient key is not an X25519 key.</exception>
    /// <exception cref="CryptographicException">The key agreement failed (a low-order recipient key).</exception>
    public SealedEnvelope Seal(PartyAddress recipient, PublicKey recipientEncryptionKey, ReadOnlySpan<byte> payload, TimeSpan? timeToLive = null)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(recipientEncryptionKey);
        if (!ReferenceEquals(recipientEncryptionKey.Algorithm, KeyAgreementAlgorithm.X25519))
        {
            throw new ArgumentException("the recipient's encryption key must be an X25519 key", nameof(recipientEncryptionKey));
        }
        var recipientPublic = recipientEncryptionKey.Export(KeyBlobFormat.RawPublicKey);
        var nonce = RandomNumberGenerator.GetBytes(EnvelopeCrypto.NonceSize);
        var ephemeralPublic = new byte[X25519Native.KeySize];
        Span<byte> key = stackalloc byte[EnvelopeCrypto.KeySize];
        Span<byte> ephemeral = stackalloc byte[X25519Native.KeySize];
        try
        {
            X25519Native.CreateKey(ephemeral, ephemeralPublic);
            if (!EnvelopeCrypto.TryDeriveKey(ephemeral, recipientPublic, ephemeralPublic, recipientPublic, nonce, key))
            {
                throw new CryptographicException("the X25519 agreement failed (low-order public key)");
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ephemeral);
        }

        var now = timeProvider.GetUtcNow();
        var header = new Envelope
        {
            Version = EnvelopeCrypto.CurrentVersion,
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            From = Self.ToString(),
            To = recipient.ToString(),
            Sent = now.ToUnixTimeMilliseconds(),
            Expires = (now + (timeToLive ?? options.TimeToLive)).ToUnixTimeMilliseconds(),
            EphemeralKey = Convert.ToBase64String(ephemeralPublic),
            Nonce = Convert.ToBase64String(nonce),
        };
        var headerBytes = EnvelopeCrypto.HeaderBytes(header);
        var sealedPayload = EnvelopeCrypto.Encrypt(key, nonce, payload, headerBytes);
        CryptographicOperations.ZeroMemory(key);
        var signature = keys.Sign(EnvelopeCrypto.SignedBytes(headerBytes, sealedPayload));
        var envelope = header with
        {
            Ciphertext = Convert.ToBase64String(sealedPayload),
            Signature = Convert.ToBase64String(signature),
        };
        return new SealedEnvelope(envelope.Id, JsonSerializer.SerializeToUtf8Bytes(envelope, EnvelopeJsonContext.Default.Envelope));
    }
}
