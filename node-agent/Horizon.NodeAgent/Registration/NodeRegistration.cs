using System.Text.Json;
using System.Text.Json.Serialization;
using Horizon.Exchange.Client;
using Horizon.Patterns.Constraints;
using Horizon.Patterns.Json;
using Horizon.Patterns.Model;
using Horizon.Patterns.Validation;

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

    /// <summary>
    /// The node policy's <c>openhorizon.allowPrivileged</c> (the deployment section's over the top
    /// level's), as Open Horizon's agent reads it: true only for a boolean true or the text
    /// <c>true</c>. Null when the node registered without a policy or its policy does not say; false
    /// when the policy cannot be read (it allows nothing then).
    /// </summary>
    public bool? AllowsPrivileged()
    {
        if (Policy is not { ValueKind: JsonValueKind.Object } policy)
        {
            return null;
        }
        NodePolicy parsed;
        try
        {
            parsed = ModelJson.ParseNodePolicy(policy.GetRawText());
        }
        catch (ModelFormatException)
        {
            return false;
        }
        return parsed.DeploymentProperties.LastOrDefault(p => p.Name == BuiltInProperties.AllowPrivileged) is { } property
            ? property.Value.Truth || string.Equals(property.Value.Text, "true", StringComparison.OrdinalIgnoreCase)
            : null;
    }

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
