using System.Text.Json;
using System.Text.Json.Serialization;

namespace Horizon.Patterns.Model;

/// <summary>A deployment pattern with Open Horizon's field names: the services every node registered to it runs.</summary>
public sealed record Pattern
{
    /// <summary>The pattern's id within its org; the exchange takes it from the URL, files may carry it.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("org")]
    public string? Org { get; init; }

    [JsonPropertyName("owner")]
    public string? Owner { get; init; }

    [JsonPropertyName("label")]
    public string? Label { get; init; }

    [JsonPropertyName("description")]
    public string? Description { get; init; }

    [JsonPropertyName("public")]
    public bool Public { get; init; }

    [JsonPropertyName("services")]
    public IReadOnlyList<PatternService> Services { get; init => field = value ?? []; } = [];

    [JsonPropertyName("userInput")]
    public IReadOnlyList<ServiceUserInput> UserInput { get; init => field = value ?? []; } = [];

    /// <summary>Default node health for services that do not carry their own.</summary>
    [JsonPropertyName("nodeHealth")]
    public NodeHealth? NodeHealth { get; init; }

    [JsonPropertyName("agreementProtocols")]
    public IReadOnlyList<AgreementProtocol>? AgreementProtocols { get; init; }

    /// <summary>Open Horizon's secret bindings; Horizon has no secrets manager, so a non-empty value is rejected.</summary>
    [JsonPropertyName("secretBinding")]
    public JsonElement? SecretBinding { get; init; }

    [JsonPropertyName("publicKey")]
    public string? PublicKey { get; init; }

    [JsonPropertyName("lastUpdated")]
    public string? LastUpdated { get; init; }
}
