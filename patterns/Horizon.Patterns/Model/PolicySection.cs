using System.Text.Json.Serialization;

namespace Horizon.Patterns.Model;

/// <summary>The <c>deployment</c> or <c>management</c> section of a node policy.</summary>
public sealed record PolicySection
{
    [JsonPropertyName("properties")]
    public IReadOnlyList<Property> Properties { get; init => field = value ?? []; } = [];

    [JsonPropertyName("constraints")]
    public IReadOnlyList<string> Constraints { get; init => field = value ?? []; } = [];
}
