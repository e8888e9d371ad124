using System.Text.Json;
using System.Text.Json.Serialization;

namespace Horizon.Patterns.Model;

/// <summary>
/// A deployment (business) policy: one service with version priorities, deployed to every node whose
/// properties satisfy <see cref="Constraints"/> and whose constraints accept <see cref="Properties"/>.
/// </summary>
public sealed record DeploymentPolicy
{
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

    [JsonPropertyName("service")]
    public DeploymentPolicyService Service { get; init => field = value ?? new(); } = new();

    [JsonPropertyName("properties")]
    public IReadOnlyList<Property> Properties { get; init => field = value ?? []; } = [];

    /// <summary>Constraint expressions; all must hold.</summary>
    [JsonPropertyName("constraints")]
    public IReadOnlyList<string> Constraints { get; init => field = value ?? []; } = [];

    [JsonPropertyName("userInput")]
    public IReadOnlyList<ServiceUserInput> UserInput { get; init => field = value ?? []; } = [];

    [JsonPropertyName("secretBinding")]
    public JsonElement? SecretBinding { get; init; }

    [JsonPropertyName("created")]
    public string? Created { get; init; }

    [JsonPropertyName("lastUpdated")]
    public string? LastUpdated { get; init; }
}
