using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Horizon.Switchboard.Envelopes;
using NSec.Cryptography;

namespace Horizon.Switchboard.Tests.Envelopes;

/// <summary>
/// Envelope version 2 written out again in this test with NSec's own X25519 agreement, HKDF and
/// AES-GCM, as the sealer and opener did before they used libsodium's X25519 directly on plain
/// buffers: envelopes sealed by an older party open on a newer one and the other way round.
/// </summary>
public sealed class EnvelopeReferenceTests : IDisposable
{
    private static readonly byte[] KdfLabel = "horizon/envelope/v2/x25519-hkdf-sha256-aes-256-gcm"u8.ToArray();
    private readonly EnvelopeParties _parties = new();

    public void Dispose() => _parties.Dispose();

    [Fact]
    public async Task EnvelopeSealedWithNSecAlone_OpensOnTheOpener()
    {
        var bytes = ReferenceSeal("{\"type\":\"proposal\",\"n\":1}");

        var opened = await _parties.Opener.OpenAsync(bytes);

        Assert.Equal("{\"type\":\"proposal\",\"n\":1}", Encoding.UTF8.GetString(opened.Payload.Span));
        Assert.Equal(_parties.Agbot, opened.From);
    }

    [Fact]
    public void EnvelopeFromTheSealer_OpensWithNSecAlone()
    {
        var sealedEnvelope = _parties.SealForNode("{\"type\":\"replyack\"}");

        Assert.Equal("{\"type\":\"replyack\"}", ReferenceOpen(sealedEnvelope.Bytes.ToArray()));
    }

    [Fact]
    public void EnvelopesFromTheSealer_EachHaveTheirOwnEphemeralKeyAndNonce()
    {
        var first = JsonNode.Parse(_parties.SealForNode("x").Bytes.Span)!;
        var second = JsonNode.Parse(_parties.SealForNode("x").Bytes.Span)!;

        Assert.NotEqual(first["epk"]!.GetValue<string>(), second["epk"]!.GetValue<string>());
        Assert.NotEqual(first["nonce"]!.GetValue<string>(), second["nonce"]!.GetValue<string>());
        Assert.NotEqual(first["ct"]!.GetValue<string>(), second["ct"]!.GetValue<string>());
    }

    [Fact]
    public async Task EnvelopeWithALowOrderEphemeralKey_IsRefused_NotOpened()
    {
        // The all-zero point: X25519 with it yields zeros, which libsodium (and NSec) refuse.
        var bytes = ReferenceSeal("x", ephemeralPublicOverride: new byte[32]);

        var refused = await Assert.ThrowsAsync<EnvelopeRejectedException>(() => _parties.Opener.OpenAsync(bytes));

        Assert.Equal(EnvelopeRejection.DecryptionFailed, refused.Reason);
    }

    private byte[] ReferenceSeal(string payload, byte[]? ephemeralPublicOverride = null)
    {
        using var ephemeral = Key.Create(KeyAgreementAlgorithm.X25519);
        var ephemeralPublic = ephemeralPublicOverride ?? ephemeral.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        var recipientPublic = _parties.NodeKeys.EncryptionPublicKeyBytes;
        var nonce = RandomNumberGenerator.GetBytes(12);
        var now = _parties.Clock.GetUtcNow();
        var header = new Envelope
        {
            Version = 2,
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            From = _parties.Agbot.ToString(),
            To = _parties.Node.ToString(),
            Sent = now.ToUnixTimeMilliseconds(),
            Expires = now.AddMinutes(30).ToUnixTimeMilliseconds(),
            EphemeralKey = Convert.ToBase64String(ephemeralPublic),
            Nonce = Convert.ToBase64String(nonce),
        };
        var headerBytes = HeaderBytes(header);
        // With an overridden (low-order) ephemeral key no agreement exists: encrypt under a random key.
        var key = ephemeralPublicOverride is null
            ? DeriveKey(ephemeral, _parties.NodeKeys.Encryption.PublicKey, ephemeralPublic, recipientPublic, nonce)
            : RandomNumberGenerator.GetBytes(32);
        var ciphertext = new byte[Encoding.UTF8.GetByteCount(payload) + 16];
        using (var aes = new AesGcm(key, 16))
        {
            var plain = Encoding.UTF8.GetBytes(payload);
            aes.Encrypt(nonce, plain, ciphertext.AsSpan(0, plain.Length), ciphertext.AsSpan(plain.Length), headerBytes);
        }
        var signature = SignatureAlgorithm.Ed25519.Sign(_parties.AgbotKeys.Identity, [.. headerBytes, .. ciphertext]);
        var json = new JsonObject
        {
            ["v"] = header.Version, ["id"] = header.Id, ["from"] = header.From, ["to"] = header.To,
            ["sent"] = header.Sent, ["expires"] = header.Expires, ["epk"] = header.EphemeralKey, ["nonce"] = header.Nonce,
            ["ct"] = Convert.ToBase64String(ciphertext), ["sig"] = Convert.ToBase64String(signature),
        };
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    private string ReferenceOpen(byte[] bytes)
    {
        var json = JsonNode.Parse(bytes)!;
        var header = new Envelope
        {
            Version = json["v"]!.GetValue<int>(),
            Id = json["id"]!.GetValue<string>(),
            From = json["from"]!.GetValue<string>(),
            To = json["to"]!.GetValue<string>(),
            Sent = json["sent"]!.GetValue<long>(),
            Expires = json["expires"]!.GetValue<long>(),
            EphemeralKey = json["epk"]!.GetValue<string>(),
            Nonce = json["nonce"]!.GetValue<string>(),
        };
        var ephemeralPublic = Convert.FromBase64String(header.EphemeralKey);
        var nonce = Convert.FromBase64String(header.Nonce);
        var ciphertext = Convert.FromBase64String(json["ct"]!.GetValue<string>());
        var headerBytes = HeaderBytes(header);
        Assert.True(SignatureAlgorithm.Ed25519.Verify(_parties.AgbotKeys.Identity.PublicKey, [.. headerBytes, .. ciphertext],
            Convert.FromBase64String(json["sig"]!.GetValue<string>())));
        var ephemeral = PublicKey.Import(KeyAgreementAlgorithm.X25519, ephemeralPublic, KeyBlobFormat.RawPublicKey);
        var key = DeriveKey(_parties.NodeKeys.Encryption, ephemeral, ephemeralPublic, _parties.NodeKeys.EncryptionPublicKeyBytes, nonce);
        var plain = new byte[ciphertext.Length - 16];
        using var aes = new AesGcm(key, 16);
        aes.Decrypt(nonce, ciphertext[..plain.Length], ciphertext[plain.Length..], plain, headerBytes);
        return Encoding.UTF8.GetString(plain);
    }

    private static byte[] DeriveKey(Key privateKey, PublicKey peer, byte[] ephemeralPublic, byte[] recipientPublic, byte[] nonce)
    {
        using var secret = KeyAgreementAlgorithm.X25519.Agree(privateKey, peer)!;
        return KeyDerivationAlgorithm.HkdfSha256.DeriveBytes(secret, nonce, [.. KdfLabel, .. ephemeralPublic, .. recipientPublic], 32);
    }

    // Every header field length-prefixed (big-endian int32) or as a big-endian int64, after the magic.
    private static byte[] HeaderBytes(Envelope e)
    {
        var buffer = new List<byte>();
        void Bytes(byte[] value)
        {
            var length = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, value.Length);
            buffer.AddRange(length);
            buffer.AddRange(value);
        }
        void Int64(long value)
        {
            var bytes = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(bytes, value);
            buffer.AddRange(bytes);
        }
        Bytes("hzn-envelope"u8.ToArray());
        Int64(e.Version);
        Bytes(Encoding.UTF8.GetBytes(e.Id));
        Bytes(Encoding.UTF8.GetBytes(e.From));
        Bytes(Encoding.UTF8.GetBytes(e.To));
        Int64(e.Sent);
        Int64(e.Expires);
        Bytes(Encoding.UTF8.GetBytes(e.EphemeralKey));
        Bytes(Encoding.UTF8.GetBytes(e.Nonce));
        return [.. buffer];
    }
}
