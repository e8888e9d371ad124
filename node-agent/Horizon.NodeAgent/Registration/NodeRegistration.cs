using System.Text.Json;
using System.Text.Json.Serialization;
using Horizon.Exchange.Client;

namespace Horizon.NodeAgent.Registration;

/// <summary>
/// What <c>hzn register</c> posts to <c>POST /node</c>, and what the agent keeps of it: the node's
/// exchange identity, its pattern (<c>org/name</c>) or policy, and user input.
/// </summary>
public sealed record NodeRegistration
{
    [JsonPropertyName("id")] public string Id { get; init; } = "";

    [JsonPropertyName("token")] public string Token { get; init; } = "";

    [JsonPropertyName("org")] public string Org { get; init; } = "";

    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("pattern")] public string? Pattern { get; init; }

    /// <summary>A node policy document, sent to the exchange as it is.</summary>
    [JsonPropertyName("policy")] public JsonElement? Policy { get; init; }

    [JsonPropertyName("userInput")] public IReadOnlyList<NodeUserInput>? UserInput { get; init; }

    [JsonIgnore] public ExchangeCredentials Credentials => new(Org, Id, Token);

    /// <summary>The problems that make this registration unusable; empty when it is fine.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Id))
        {
            problems.Add("id is required");
        }
        if (string.IsNullOrWhiteSpace(Org))
        {
            problems.Add("org is required");
        }
        if (string.IsNullOrWhiteSpace(Token))
        {
            problems.Add("token is required");
        }
        if (Pattern is not null && Pattern.Split('/') is not [{ Length: > 0 }, { Length: > 0 }])
        {
            problems.Add($"pattern '{Pattern}' must be org/name");
        }
        if (Pattern is not null && Policy is { ValueKind: not JsonValueKind.Null })
        {
            problems.Add("a node registers with a pattern or a policy, not both");
        }
        return problems;
    }
}

[JsonSerializable(typeof(NodeRegistration))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class RegistrationJsonContext : JsonSerializerContext;
