using System.Text.Json.Serialization;

namespace Horizon.Patterns.Model;

/// <summary>Open Horizon's <c>upgradePolicy</c>; carried through to the agreement, not enforced.</summary>
public sealed record UpgradePolicy
{
    [JsonPropertyName("lifecycle")]
    public string? Lifecycle { get; init; }

    [JsonPropertyName("time")]
    public string? Time { get; init; }
}
