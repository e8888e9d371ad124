using System.Security.Cryptography;
using System.Text.Json;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Keys;
using Microsoft.Extensions.Logging;
using NSec.Cryptography;

namespace Horizon.Switchboard.Envelopes;

/// <summary>
/// Opens envelopes addressed to this party. Checks run cheapest first — shape, version,
/// recipient, lifetime, the replay window — then the signature against the sender's registered
/// key, then decryption. Any failure is counted, logged and thrown as
/// <see cref="EnvelopeRejectedException"/>; nothing refused ever reaches a handler.
/// </summary>
public sealed partial class EnvelopeOpener(
    PartyAddress self,
    PartyKeys keys,
    ISigningKeyDirectory signingKeys,
    IReplayWindow replayWindow,
    EnvelopeOptions options,
    TimeProvider timeProvider,
    ILogger<EnvelopeOpener> logger)
{
    private readonly string _self = self.ToString();

    public RejectionCounts Rejections { get; } = new();

    /// <summary>Verifies and decrypts <paramref name="bytes"/>.</summary>
    /// <exception cref="EnvelopeRejectedException">The envelope must not be acted on; <see cref="EnvelopeRejectedException.Reason"/> says why.</exception>
    public async Task<OpenedEnvelope> OpenAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        try
        {
            return await OpenCheckedAsync(bytes, cancellationToken);
        }
        catch (EnvelopeRejectedException e)
        {
            Rejections.Add(e.Reason);
            LogRejected(logger, e.Reason, e.Message);
            throw;
        }
    }

    /// <summary>Marks an envelope handled, so a replay of it is refused. Call after the handler succeeded.</summary>
    public ValueTask MarkHandledAsync(OpenedEnvelope envelope, CancellationToken cancellationToken = default) =>
        replayWindow.RecordAsync(envelope.Id, envelope.Expires, cancellationToken);

    private async Task<OpenedEnvelope> OpenCheckedAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var envelope = Parse(bytes.Span);
        if (envelope.Version != EnvelopeCrypto.CurrentVersion)
        {
            throw new EnvelopeRejectedException(EnvelopeRejection.UnsupportedVersion, $"version {envelope.Version}");
        }
        if (!PartyAddress.TryParse(envelope.From, out var from))
        {
            throw new EnvelopeRejectedException(EnvelopeRejection.Malformed, $"\"from\" is not a party address: \"{envelope.From}\"");
        }
        if (envelope.To != _self)
        {
            throw new EnvelopeRejectedException(EnvelopeRejection.WrongRecipient, $"addressed to {envelope.To}, this is {_self}");
        }
        CheckLifetime(envelope);
        // Before any cryptography: a copy of an envelope already handled (a redelivery, a catch-up
        // overlapping live delivery, a replay) costs no signature check. A forgery that reuses a
        // handled id is dropped here too, counted as a replay; it is never acted on either way.
        if (await replayWindow.HasSeenAsync(envelope.Id, cancellationToken))
        {
            throw new EnvelopeRejectedException(EnvelopeRejection.Replayed, $"id {envelope.Id} from {from} was already handled");
        }
        var ephemeralKey = Base64(envelope.EphemeralKey, "epk");
        var nonce = Base64(envelope.Nonce, "nonce");
        var ciphertext = Base64(envelope.Ciphertext, "ct");
        var signature = Base64(envelope.Signature, "sig");
        if (nonce.Length != EnvelopeCrypto.NonceSize || ciphertext.Length < EnvelopeCrypto.TagSize
            || ephemeralKey.Length != EnvelopeCrypto.PublicKeySize || signature.Length != EnvelopeCrypto.SignatureSize)
        {
            throw new EnvelopeRejectedException(EnvelopeRejection.Malformed, "the ephemeral key, nonce, ciphertext or signature has the wrong size");
        }
        var header = EnvelopeCrypto.HeaderBytes(envelope);
        if (!await SignatureVerifiesAsync(from, EnvelopeCrypto.SignedBytes(header, ciphertext), signature, cancellationToken))
        {
            // Tell an impostor from tampering: an envelope that still decrypts under its own header is
            // as it was sealed, so another key signed it; one that does not was changed after sealing.
            // (The header and the ciphertext are bound together, so which of the two changed cannot be told.)
            throw TryDecrypt(ephemeralKey, nonce, ciphertext, header) is null
                ? new EnvelopeRejectedException(EnvelopeRejection.BadSignature, $"the header or ciphertext was changed after {from} signed it")
                : new EnvelopeRejectedException(EnvelopeRejection.UnregisteredKey, $"intact, but signed by a key {from} has not registered");
        }
        var payload = TryDecrypt(ephemeralKey, nonce, ciphertext, header)
            ?? throw new EnvelopeRejectedException(EnvelopeRejection.DecryptionFailed, "the payload does not decrypt for this recipient");
        return new OpenedEnvelope(envelope.Id, from,
            DateTimeOffset.FromUnixTimeMilliseconds(envelope.Sent), DateTimeOffset.FromUnixTimeMilliseconds(envelope.Expires), payload);
    }

    private static Envelope Parse(ReadOnlySpan<byte> bytes)
    {
        var trimmed = bytes.TrimStart(" \t\r\n"u8);
        if (trimmed.IsEmpty || trimmed[0] != (byte)'{')
        {
            throw new EnvelopeRejectedException(EnvelopeRejection.NotJson, "the message is not a JSON object");
        }
        Envelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(trimmed, EnvelopeJsonContext.Default.Envelope);
        }
        catch (JsonException e)
        {
            throw new EnvelopeRejectedException(EnvelopeRejection.Malformed, $"invalid envelope JSON: {e.Message}", e);
        }
        if (envelope is null || envelope.Id.Length == 0 || envelope.Signature.Length == 0 || envelope.Ciphertext.Length == 0)
        {
            throw new EnvelopeRejectedException(EnvelopeRejection.Malformed, "a required field (id, ct, sig) is missing");
        }
        return envelope;
    }

    private void CheckLifetime(Envelope envelope)
    {
        var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var skew = (long)options.ClockSkew.TotalMilliseconds;
        if (envelope.Expires < envelope.Sent)
        {
            throw new EnvelopeRejectedException(EnvelopeRejection.Malformed, "expires before it was sent");
        }
        if (now > envelope.Expires + skew)
        {
            throw new EnvelopeRejectedException(EnvelopeRejection.Expired, $"expired {now - envelope.Expires} ms ago");
        }
        if (envelope.Sent > now + skew)
        {
            throw new EnvelopeRejectedException(EnvelopeRejection.FromTheFuture, $"sent {envelope.Sent - now} ms in the future");
        }
    }

    /// <summary>Whether the sender's registered key (refreshed once on a mismatch) verifies the signature.</summary>
    private async Task<bool> SignatureVerifiesAsync(PartyAddress from, byte[] signed, byte[] signature, CancellationToken cancellationToken)
    {
        var key = await signingKeys.GetSigningKeyAsync(from, refresh: false, cancellationToken)
            ?? throw new EnvelopeRejectedException(EnvelopeRejection.UnknownSender, $"{from} has no registered identity key");
        if (SignatureAlgorithm.Ed25519.Verify(key, signed, signature))
        {
            return true;
        }
        // The sender may have re-registered since the key was cached: ask once more before refusing.
        var fresh = await signingKeys.GetSigningKeyAsync(from, refresh: true, cancellationToken)
            ?? throw new EnvelopeRejectedException(EnvelopeRejection.UnknownSender, $"{from} has no registered identity key");
        return !fresh.Equals(key) && SignatureAlgorithm.Ed25519.Verify(fresh, signed, signature);
    }

    /// <summary>The payload, or null when it does not decrypt for this recipient under this header.</summary>
    private byte[]? TryDecrypt(byte[] ephemeralKey, byte[] nonce, byte[] ciphertext, byte[] header)
    {
        if (ephemeralKey.Length != X25519Native.KeySize || nonce.Length != EnvelopeCrypto.NonceSize)
        {
            return null;
        }
        Span<byte> key = stackalloc byte[EnvelopeCrypto.KeySize];
        try
        {
            return EnvelopeCrypto.TryDeriveKey(keys.EncryptionPrivateKey, ephemeralKey, ephemeralKey, keys.EncryptionPublicKeyBytes, nonce, key)
                ? EnvelopeCrypto.Decrypt(key, nonce, ciphertext, header)
                : null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static byte[] Base64(string value, string field)
    {
        try
        {
            return Convert.FromBase64String(value);
        }
        catch (FormatException e)
        {
            throw new EnvelopeRejectedException(EnvelopeRejection.Malformed, $"\"{field}\" is not base64", e);
        }
    }

    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Refused an envelope: {Reason}: {Detail}")]
    private static partial void LogRejected(ILogger logger, EnvelopeRejection reason, string detail);
}
