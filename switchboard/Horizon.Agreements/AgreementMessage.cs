using System.Text.Json.Serialization;

namespace Horizon.Agreements;

/// <summary>
/// A message of the Basic agreement protocol, version 1. It travels as the payload of a sealed
/// envelope, so authenticity and confidentiality come from the envelope, not from here.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(Proposal), "proposal")]
[JsonDerivedType(typeof(ProposalReply), "reply")]
[JsonDerivedType(typeof(ReplyAck), "replyack")]
[JsonDerivedType(typeof(CancelAgreement), "cancel")]
[JsonDerivedType(typeof(VerifyAgreement), "verify")]
[JsonDerivedType(typeof(VerifyAgreementReply), "verifyreply")]
[JsonDerivedType(typeof(UpdateAgreement), "update")]
[JsonDerivedType(typeof(UpdateAgreementReply), "updatereply")]
public abstract record AgreementMessage
{
    public const string BasicProtocol = "Basic";
    public const int BasicVersion = 1;

    [JsonPropertyName("protocol")] public string Protocol { get; init; } = BasicProtocol;

    [JsonPropertyName("version")] public int Version { get; init; } = BasicVersion;

    [JsonPropertyName("agreementId")] public string AgreementId { get; init; } = "";
}

/// <summary>Agbot → node: the terms of a new agreement.</summary>
public sealed record Proposal : AgreementMessage
{
    [JsonPropertyName("tsandcs")] public AgreementTerms Terms { get; init; } = new();
}

/// <summary>Node → agbot: the node's decision on a proposal; a refusal carries the reason.</summary>
public sealed record ProposalReply : AgreementMessage
{
    [JsonPropertyName("decision")] public bool Decision { get; init; }

    /// <summary>A 1xx <see cref="CancelReason"/> when <see cref="Decision"/> is false.</summary>
    [JsonPropertyName("reason")] public int? Reason { get; init; }

    [JsonPropertyName("message")] public string? Message { get; init; }
}

/// <summary>Agbot → node: the agreement is final (proceed) or withdrawn.</summary>
public sealed record ReplyAck : AgreementMessage
{
    [JsonPropertyName("proceed")] public bool Proceed { get; init; }
}

/// <summary>Either side: the agreement ends.</summary>
public sealed record CancelAgreement : AgreementMessage
{
    [JsonPropertyName("reason")] public int Reason { get; init; }

    [JsonPropertyName("message")] public string? Message { get; init; }
}

/// <summary>Agbot → node: does this agreement still exist on your side?</summary>
public sealed record VerifyAgreement : AgreementMessage;

/// <summary>Node → agbot: answer to <see cref="VerifyAgreement"/>.</summary>
public sealed record VerifyAgreementReply : AgreementMessage
{
    [JsonPropertyName("exists")] public bool Exists { get; init; }
}

/// <summary>Agbot → node: move the agreement to new terms (an upgrade or rollback of the workload).</summary>
public sealed record UpdateAgreement : AgreementMessage
{
    [JsonPropertyName("tsandcs")] public AgreementTerms Terms { get; init; } = new();
}

/// <summary>Node → agbot: whether the update was applied.</summary>
public sealed record UpdateAgreementReply : AgreementMessage
{
    [JsonPropertyName("accepted")] public bool Accepted { get; init; }

    [JsonPropertyName("reason")] public int? Reason { get; init; }

    [JsonPropertyName("message")] public string? Message { get; init; }
}
