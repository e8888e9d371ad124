using System.Text.Json;

namespace Horizon.Exchange.Client;

/// <summary>
/// An edge node as Open Horizon's exchange shapes it. <see cref="Token"/> is write-only.
/// <see cref="PublicKey"/> is the node's ECDSA P-256 signing key and <see cref="EncryptionKey"/>
/// its ECDH P-256 key (SPKI PEM or base64); once registered, neither is replaced silently.
/// Read-only fields (<see cref="Id"/>, <see cref="Orgid"/>, <see cref="Owner"/>, timestamps) are
/// ignored on input.
/// </summary>
public sealed record ExchangeNode
{
    public string? Id { get; init; }
    public string? Orgid { get; init; }
    public string? Token { get; init; }
    public string? Name { get; init; }
    public string? NodeType { get; init; }
    /// <summary>"org/pattern" or empty when the node is policy-managed.</summary>
    public string? Pattern { get; init; }
    public string? Arch { get; init; }
    public string? PublicKey { get; init; }
    public string? EncryptionKey { get; init; }
    public IReadOnlyList<RegisteredService>? RegisteredServices { get; init; }
    public IReadOnlyList<NodeUserInput>? UserInput { get; init; }
    public IReadOnlyDictionary<string, string>? SoftwareVersions { get; init; }
    public HeartbeatIntervals? HeartbeatIntervals { get; init; }
    public string? MsgEndPoint { get; init; }
    public string? Owner { get; init; }
    public string? LastHeartbeat { get; init; }
    public string? LastUpdated { get; init; }
}

/// <summary>A service the node offers to run, with its properties.</summary>
public sealed record RegisteredService
{
    public string? Url { get; init; }
    public int NumAgreements { get; init; }
    public string? ConfigState { get; init; }
    public string? Policy { get; init; }
    public IReadOnlyList<NameValue>? Properties { get; init; }
    public string? Version { get; init; }
}

/// <summary>User input values the node owner gives one service.</summary>
public sealed record NodeUserInput
{
    public string? ServiceOrgid { get; init; }
    public string? ServiceUrl { get; init; }
    public string? ServiceArch { get; init; }
    public string? ServiceVersionRange { get; init; }
    public IReadOnlyList<NameValue>? Inputs { get; init; }
}

/// <summary>A named value of any JSON type.</summary>
public sealed record NameValue
{
    public string? Name { get; init; }
    public JsonElement Value { get; init; }
}

/// <summary>How often the node agent heartbeats, in seconds.</summary>
public sealed record HeartbeatIntervals
{
    public int MinInterval { get; init; }
    public int MaxInterval { get; init; }
    public int IntervalAdjustment { get; init; }
}

/// <summary>
/// A partial update of a node: only the fields given are changed. Keys follow the same rule as on
/// a full update.
/// </summary>
public sealed record NodePatch
{
    public string? Token { get; init; }
    public string? Name { get; init; }
    public string? Pattern { get; init; }
    public string? Arch { get; init; }
    public string? PublicKey { get; init; }
    public string? EncryptionKey { get; init; }
    public IReadOnlyList<RegisteredService>? RegisteredServices { get; init; }
    public IReadOnlyList<NodeUserInput>? UserInput { get; init; }
    public IReadOnlyDictionary<string, string>? SoftwareVersions { get; init; }
    public HeartbeatIntervals? HeartbeatIntervals { get; init; }
    public string? MsgEndPoint { get; init; }
}
