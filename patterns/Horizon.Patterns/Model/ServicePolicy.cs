using System.Text.Json.Serialization;

namespace Horizon.Patterns.Model;

/// <summary>
/// A service's own policy (Open Horizon's service policy, <c>hzn exchange service addpolicy</c>): properties
/// describing the service and constraints the node must meet. When a deployment policy deploys the
/// service, these are merged into it: properties added, constraints ANDed. Patterns ignore it, as in
/// Open Horizon.
/// </summary>
public sealed record ServicePolicy
{
    [JsonPropertyName("label")]
    public string? Label { get; init; }

    [JsonPropertyName("description")]
    public string? Description { get; init; }

    [JsonPropertyName("properties")]
    public IReadOnlyList<Property> Properties { get; init => field = value ?? []; } = [];

    [JsonPropertyName("constraints")]
    public IReadOnlyList<string> Constraints { get; init => field = value ?? []; } = [];

    [JsonPropertyName("lastUpdated")]
    public string? LastUpdated { get; init; }
}
