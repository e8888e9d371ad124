using System.Text.Json.Serialization;

namespace Horizon.Patterns.Model;

/// <summary>
/// Which version an agbot tries first (lowest <see cref="PriorityValue"/> wins) and when it falls back:
/// after <see cref="Retries"/> failures within <see cref="RetryDurations"/> seconds.
/// </summary>
public sealed record Priority
{
    [JsonPropertyName("priority_value")]
    public int PriorityValue { get; init; }

    [JsonPropertyName("retries")]
    public int Retries { get; init; }

    /// <summary>The window, in seconds, in which <see cref="Retries"/> failures cause a fallback.</summary>
    [JsonPropertyName("retry_durations")]
    public int RetryDurations { get; init; }

    [JsonPropertyName("verified_durations")]
    public int VerifiedDurations { get; init; }
}
