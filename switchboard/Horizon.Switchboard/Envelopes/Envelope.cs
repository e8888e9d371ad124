using System.Text.Json.Serialization;

namespace Horizon.Switchboard.Envelopes;

/// <summary>
/// The sealed envelope on the wire. Header fields travel in clear so the receiver can route and
/// check them before any cryptography; the payload is AES-256-GCM ciphertext with the header as
/// associated data, and <see cref="Signature"/> is the sender's Ed25519 signature (its identity
/// key) over the header and the ciphertext. Binary fields are base64.
/// </summary>
public sealed record Envelope
{
    [JsonPropertyName("v")] public int Version { get; init; }

    [JsonPropertyName("id")] public string Id { get; init; } = "";

    [JsonPropertyName("from")] public string From { get; init; } = "";

    [JsonPropertyName("to")] public string To { get; init; } = "";

    /// <summary>Unix time in milliseconds when the sender sealed it.</summary>
    [JsonPropertyName("sent")] public long Sent { get; init; }

    /// <summary>Unix time in milliseconds after which the receiver must not act on it.</summary>
    [JsonPropertyName("expires")] public long Expires { get; init; }

    /// <summary>The sender's ephemeral X25519 public key, 32 raw bytes.</summary>
    [JsonPropertyName("epk")] public string EphemeralKey { get; init; } = "";

    [JsonPropertyName("nonce")] public string Nonce { get; init; } = "";

    /// <summary>Ciphertext followed by the 16-byte GCM tag.</summary>
    [JsonPropertyName("ct")] public string Ciphertext { get; init; } = "";

    [JsonPropertyName("sig")] public string Signature { get; init; } = "";
}

[JsonSerializable(typeof(Envelope))]
[JsonSourceGenerationOptions(UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
internal sealed partial class EnvelopeJsonContext : JsonSerializerContext;
