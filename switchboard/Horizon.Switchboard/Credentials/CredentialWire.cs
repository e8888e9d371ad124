using System.Text;
using System.Text.Json.Serialization;

namespace Horizon.Switchboard.Credentials;

/// <summary><c>POST /v1/challenges</c>: the party a challenge is for.</summary>
public sealed record ChallengeRequest
{
    [JsonPropertyName("kind")] public string Kind { get; init; } = "";

    [JsonPropertyName("org")] public string Org { get; init; } = "";

    [JsonPropertyName("id")] public string Id { get; init; } = "";
}

/// <summary>A fresh, single-use challenge, valid for one party until <see cref="ExpiresAt"/>.</summary>
public sealed record ChallengeResponse
{
    [JsonPropertyName("challenge")] public string Challenge { get; init; } = "";

    [JsonPropertyName("expiresAt")] public DateTimeOffset ExpiresAt { get; init; }
}

/// <summary>
/// <c>POST /v1/credentials</c>: a party proves it holds the identity key registered on its exchange
/// record (of the kind it claims) by signing <see cref="CredentialProof.SignedText"/> with it.
/// </summary>
public sealed record CredentialRequest
{
    [JsonPropertyName("kind")] public string Kind { get; init; } = "";

    [JsonPropertyName("org")] public string Org { get; init; } = "";

    [JsonPropertyName("id")] public string Id { get; init; } = "";

    /// <summary>The party's identity public key (<c>U…</c>), which becomes its NATS user key.</summary>
    [JsonPropertyName("publicKey")] public string PublicKey { get; init; } = "";

    [JsonPropertyName("challenge")] public string Challenge { get; init; } = "";

    /// <summary>Ed25519 signature of <see cref="CredentialProof.SignedText"/>, base64url. May be left out when an enrolled node proves itself by its <see cref="Certificate"/>.</summary>
    [JsonPropertyName("signature")] public string Signature { get; init; } = "";

    /// <summary>
    /// An enrolled node's device certificate (PEM), beside the key proof or in its place: issued by the exchange's device
    /// CA for <c>org/id</c> and this <see cref="PublicKey"/>, valid now, not revoked.
    /// </summary>
    [JsonPropertyName("certificate")] public string? Certificate { get; init; }

    /// <summary>ECDSA-SHA256 (IEEE P1363) signature of <see cref="CredentialProof.SignedText"/> by the certificate's key, base64url.</summary>
    [JsonPropertyName("certificateSignature")] public string? CertificateSignature { get; init; }
}

/// <summary>What the switchboard issues a proven party: its user JWT and where its mailbox is.</summary>
public sealed record IssuedCredentials
{
    /// <summary>The user JWT for the party's own key; the party signs the server's nonce with that key to use it.</summary>
    [JsonPropertyName("jwt")] public string Jwt { get; init; } = "";

    [JsonPropertyName("expiresAt")] public DateTimeOffset ExpiresAt { get; init; }

    [JsonPropertyName("issuedAt")] public DateTimeOffset IssuedAt { get; init; }

    /// <summary>The reply-inbox prefix the party's NATS client must use.</summary>
    [JsonPropertyName("inboxPrefix")] public string InboxPrefix { get; init; } = "";

    [JsonPropertyName("inboxSubject")] public string InboxSubject { get; init; } = "";

    [JsonPropertyName("liveSubject")] public string LiveSubject { get; init; } = "";

    [JsonPropertyName("stream")] public string Stream { get; init; } = "";

    /// <summary>Tokens of the orgs whose inboxes (of the other kind) the party may write to.</summary>
    [JsonPropertyName("peerOrgs")] public IReadOnlyList<string> PeerOrgs { get; init; } = [];
}

/// <summary>The text a party signs to prove its key; binds the challenge to the party, its kind and its key.</summary>
public static class CredentialProof
{
    public static byte[] SignedText(string kind, string org, string id, string publicKey, string challenge) =>
        Encoding.UTF8.GetBytes($"horizon-nats-credentials/v1\n{kind}\n{org}\n{id}\n{publicKey}\n{challenge}");
}

[JsonSerializable(typeof(ChallengeRequest))]
[JsonSerializable(typeof(ChallengeResponse))]
[JsonSerializable(typeof(CredentialRequest))]
[JsonSerializable(typeof(IssuedCredentials))]
public sealed partial class CredentialJsonContext : JsonSerializerContext;
