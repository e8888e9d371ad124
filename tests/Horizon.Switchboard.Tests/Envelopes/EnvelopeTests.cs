using System.Text;
using System.Text.Json.Nodes;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Envelopes;
using Horizon.Switchboard.Keys;

namespace Horizon.Switchboard.Tests.Envelopes;

public sealed class EnvelopeTests : IDisposable
{
    private readonly EnvelopeParties _parties = new();

    public void Dispose() => _parties.Dispose();

    [Fact]
    public async Task SealedEnvelope_OpensToThePayload_WithTheSenderNamed()
    {
        var sealedEnvelope = _parties.SealForNode("{\"type\":\"proposal\"}");

        var opened = await _parties.Opener.OpenAsync(sealedEnvelope.Bytes);

        Assert.Equal("{\"type\":\"proposal\"}", Encoding.UTF8.GetString(opened.Payload.Span));
        Assert.Equal(_parties.Agbot, opened.From);
        Assert.Equal(sealedEnvelope.Id, opened.Id);
    }

    [Fact]
    public async Task ManyEnvelopesSealedAtOnceForOneRecipient_AllOpenToTheirOwnPayloads()
    {
        // Every sealer of a process shares the imported recipient key; concurrent seals must not mix.
        var sealedEnvelopes = await Task.WhenAll(Enumerable.Range(0, 400).Select(i =>
            Task.Run(() => (Payload: $"payload {i}", Envelope: _parties.SealForNode($"payload {i}")))));

        foreach (var (payload, envelope) in sealedEnvelopes)
        {
            var opened = await _parties.Opener.OpenAsync(envelope.Bytes);
            Assert.Equal(payload, Encoding.UTF8.GetString(opened.Payload.Span));
        }
    }

    [Fact]
    public void SealedEnvelope_DoesNotCarryThePayloadInClear()
    {
        var sealedEnvelope = _parties.SealForNode("secret-user-input-value");

        Assert.DoesNotContain("secret-user-input-value", Encoding.UTF8.GetString(sealedEnvelope.Bytes.Span));
    }

    [Fact]
    public async Task TamperedCiphertext_IsRefusedAsBadSignature()
    {
        var tampered = Mutate(_parties.SealForNode("payload"), json =>
        {
            var ct = Convert.FromBase64String(json["ct"]!.GetValue<string>());
            ct[0] ^= 0x01;
            json["ct"] = Convert.ToBase64String(ct);
        });

        await AssertRefusedAsync(tampered, EnvelopeRejection.BadSignature);
    }

    [Fact]
    public async Task TamperedHeader_IsRefusedAsBadSignature()
    {
        var tampered = Mutate(_parties.SealForNode("payload"),
            json => json["expires"] = json["expires"]!.GetValue<long>() + 3_600_000);

        await AssertRefusedAsync(tampered, EnvelopeRejection.BadSignature);
    }

    [Fact]
    public async Task EnvelopeForAnotherNode_IsRefusedAsWrongRecipient()
    {
        var other = PartyAddress.Node("myorg", "node2");
        var forOther = _parties.AgbotSealer().Seal(other, _parties.NodeKeys.Encryption.PublicKey, "x"u8);

        await AssertRefusedAsync(forOther.Bytes, EnvelopeRejection.WrongRecipient);
    }

    [Fact]
    public async Task ExpiredEnvelope_IsRefused()
    {
        var sealedEnvelope = _parties.SealForNode("payload");
        _parties.Clock.Advance(TimeSpan.FromMinutes(33));

        await AssertRefusedAsync(sealedEnvelope.Bytes, EnvelopeRejection.Expired);
    }

    [Fact]
    public async Task EnvelopeWithinTheClockSkewAfterExpiry_IsStillAccepted()
    {
        var sealedEnvelope = _parties.SealForNode("payload");
        _parties.Clock.Advance(TimeSpan.FromMinutes(31));

        var opened = await _parties.Opener.OpenAsync(sealedEnvelope.Bytes);

        Assert.Equal("payload", Encoding.UTF8.GetString(opened.Payload.Span));
    }

    [Fact]
    public async Task EnvelopeFromTheFuture_IsRefused()
    {
        var sealedEnvelope = _parties.SealForNode("payload");
        _parties.Clock.Advance(TimeSpan.FromMinutes(-10));

        await AssertRefusedAsync(sealedEnvelope.Bytes, EnvelopeRejection.FromTheFuture);
    }

    [Fact]
    public async Task ReplayedEnvelope_IsRefused_OnceHandled()
    {
        var sealedEnvelope = _parties.SealForNode("payload");
        var opened = await _parties.Opener.OpenAsync(sealedEnvelope.Bytes);
        await _parties.Opener.MarkHandledAsync(opened);

        await AssertRefusedAsync(sealedEnvelope.Bytes, EnvelopeRejection.Replayed);
    }

    [Fact]
    public async Task ReplayedEnvelope_IsRefused_AfterTheReceiverRestarts()
    {
        var sealedEnvelope = _parties.SealForNode("payload");
        await _parties.Opener.MarkHandledAsync(await _parties.Opener.OpenAsync(sealedEnvelope.Bytes));

        _parties.RestartNode();

        await AssertRefusedAsync(sealedEnvelope.Bytes, EnvelopeRejection.Replayed);
    }

    [Fact]
    public async Task EnvelopeWhoseHandlerFailed_IsAcceptedWhenRedelivered()
    {
        var sealedEnvelope = _parties.SealForNode("payload");
        await _parties.Opener.OpenAsync(sealedEnvelope.Bytes);

        var again = await _parties.Opener.OpenAsync(sealedEnvelope.Bytes);

        Assert.Equal(sealedEnvelope.Id, again.Id);
    }

    [Fact]
    public async Task EnvelopeSignedByAnUnregisteredKey_IsRefusedAsUnregisteredKey()
    {
        using var impostor = PartyKeys.Generate();

        await AssertRefusedAsync(_parties.SealForNode("payload", signedWith: impostor).Bytes, EnvelopeRejection.UnregisteredKey);
    }

    [Fact]
    public async Task EnvelopeFromAPartyWithoutRegistration_IsRefusedAsUnknownSender()
    {
        _parties.Unregister(_parties.Agbot);

        await AssertRefusedAsync(_parties.SealForNode("payload").Bytes, EnvelopeRejection.UnknownSender);
    }

    [Fact]
    public async Task SenderThatReRegisteredANewKey_IsAccepted_AfterTheCacheRefreshes()
    {
        await _parties.Opener.OpenAsync(_parties.SealForNode("first").Bytes);
        using var newKeys = PartyKeys.Generate();
        _parties.Register(_parties.Agbot, newKeys);

        var opened = await _parties.Opener.OpenAsync(_parties.SealForNode("second", signedWith: newKeys).Bytes);

        Assert.Equal("second", Encoding.UTF8.GetString(opened.Payload.Span));
    }

    [Fact]
    public async Task EnvelopeEncryptedToAnotherKey_IsRefusedAsDecryptionFailed()
    {
        using var otherNodeKeys = PartyKeys.Generate();
        var sealedEnvelope = _parties.AgbotSealer().Seal(_parties.Node, otherNodeKeys.Encryption.PublicKey, "x"u8);

        await AssertRefusedAsync(sealedEnvelope.Bytes, EnvelopeRejection.DecryptionFailed);
    }

    [Fact]
    public async Task TruncatedEnvelope_IsRefusedAsMalformed()
    {
        var bytes = _parties.SealForNode("payload").Bytes;

        await AssertRefusedAsync(bytes[..(bytes.Length / 2)], EnvelopeRejection.Malformed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("[1,2,3]")]
    [InlineData("\u0000\u0001\u0002")]
    public async Task BytesThatAreNotAJsonObject_AreRefusedAsNotJson(string text)
    {
        await AssertRefusedAsync(Encoding.UTF8.GetBytes(text), EnvelopeRejection.NotJson);
    }

    [Fact]
    public async Task EnvelopeWithAnUnknownField_IsRefusedAsMalformed()
    {
        var extended = Mutate(_parties.SealForNode("payload"), json => json["extra"] = "field");

        await AssertRefusedAsync(extended, EnvelopeRejection.Malformed);
    }

    [Fact]
    public async Task EnvelopeOfAnotherVersion_IsRefused()
    {
        var other = Mutate(_parties.SealForNode("payload"), json => json["v"] = 1);

        await AssertRefusedAsync(other, EnvelopeRejection.UnsupportedVersion);
    }

    [Fact]
    public async Task Refusals_AreCountedByReason()
    {
        var stale = _parties.SealForNode("p").Bytes.ToArray();
        await Assert.ThrowsAsync<EnvelopeRejectedException>(() => _parties.Opener.OpenAsync("nope"u8.ToArray()));
        await Assert.ThrowsAsync<EnvelopeRejectedException>(() => _parties.Opener.OpenAsync("oops"u8.ToArray()));
        _parties.Clock.Advance(TimeSpan.FromHours(1));
        await Assert.ThrowsAsync<EnvelopeRejectedException>(() => _parties.Opener.OpenAsync(stale));

        Assert.Equal(2, _parties.Opener.Rejections[EnvelopeRejection.NotJson]);
        Assert.Equal(1, _parties.Opener.Rejections[EnvelopeRejection.Expired]);
        Assert.Equal(0, _parties.Opener.Rejections[EnvelopeRejection.BadSignature]);
        Assert.Equal(3, _parties.Opener.Rejections.Total);
    }

    private async Task AssertRefusedAsync(ReadOnlyMemory<byte> bytes, EnvelopeRejection expected)
    {
        var before = _parties.Opener.Rejections[expected];

        var refusal = await Assert.ThrowsAsync<EnvelopeRejectedException>(() => _parties.Opener.OpenAsync(bytes));

        Assert.Equal(expected, refusal.Reason);
        Assert.Equal(before + 1, _parties.Opener.Rejections[expected]);
    }

    private static byte[] Mutate(SealedEnvelope sealedEnvelope, Action<JsonObject> change)
    {
        var json = JsonNode.Parse(sealedEnvelope.Bytes.Span)!.AsObject();
        change(json);
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }
}
