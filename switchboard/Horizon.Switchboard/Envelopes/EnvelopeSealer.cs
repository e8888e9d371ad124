using System.Security.Cryptography;
using System.Text.Json;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Keys;

namespace Horizon.Switchboard.Envelopes;

/// <summary>
/// Seals payloads for one recipient: a fresh ephemeral ECDH P-256 key agreed with the recipient's
/// registered encryption key, HKDF-SHA256, AES-256-GCM with the header as associated data, and an
/// ECDSA P-256 signature by this party's signing key over header and ciphertext.
/// </summary>
public sealed class EnvelopeSealer(PartyAddress self, PartyKeys keys, EnvelopeOptions options, TimeProvider timeProvider)
{
    public PartyAddress Self { get; } = self;

    /// <summary>Seals <paramref name="payload"/> for <paramref name="recipient"/>.</summary>
    /// <param name="recipientEncryptionKey">The recipient's ECDH P-256 public key (SPKI DER) from the exchange.</param>
    /// <exception cref="CryptographicException">The recipient key is not a P-256 SPKI key.</exception>
    public SealedEnvelope Seal(PartyAddress recipient, ReadOnlySpan<byte> recipientEncryptionKey, ReadOnlySpan<byte> payload, TimeSpan? timeToLive = null)
    {
        var recipientKeyBytes = recipientEncryptionKey.ToArray();
        using var ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var ephemeralPublic = ephemeral.ExportSubjectPublicKeyInfo();
        var nonce = RandomNumberGenerator.GetBytes(EnvelopeCrypto.NonceSize);
        var secret = EncryptionKeyCache.Keys.Use(recipientKeyBytes, recipient =>
        {
            using var recipientPublic = recipient.PublicKey;
            return ephemeral.DeriveRawSecretAgreement(recipientPublic);
        });
        var key = EnvelopeCrypto.DeriveKey(secret, ephemeralPublic, recipientKeyBytes, nonce);
        CryptographicOperations.ZeroMemory(secret);

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
        var sealedPayload = new byte[payload.Length + EnvelopeCrypto.TagSize];
        using (var aes = new AesGcm(key, EnvelopeCrypto.TagSize))
        {
            aes.Encrypt(nonce, payload, sealedPayload.AsSpan(0, payload.Length), sealedPayload.AsSpan(payload.Length), headerBytes);
        }
        CryptographicOperations.ZeroMemory(key);
        var signature = keys.Signing.SignData(EnvelopeCrypto.SignedBytes(headerBytes, sealedPayload), HashAlgorithmName.SHA256);
        var envelope = header with
        {
            Ciphertext = Convert.ToBase64String(sealedPayload),
            Signature = Convert.ToBase64String(signature),
        };
        return new SealedEnvelope(envelope.Id, JsonSerializer.SerializeToUtf8Bytes(envelope, EnvelopeJsonContext.Default.Envelope));
    }
}
