using System.Text.Json;

namespace Horizon.Agbot.Storage;

/// <summary>
/// An update whose reply did not come in time. The node may still be applying it (it refuses a
/// second update of the same agreement meanwhile), so a late <c>accepted: true</c> means the node
/// now runs these terms.
/// </summary>
public sealed record UnansweredUpdate
{
    public required string Version { get; init; }

    /// <summary>The update as sent (AgreementCodec JSON).</summary>
    public required string UpdateJson { get; init; }

    /// <summary>The rollout it belonged to (<see cref="RolloutRecord.Key"/>), or null.</summary>
    public string? Rollout { get; init; }

    /// <summary>At most this many are kept per agreement; an older one would long have answered or been lost.</summary>
    public const int Limit = 4;

    /// <summary>The list kept in <see cref="AgreementRecord.UnansweredJson"/>.</summary>
    public static IReadOnlyList<UnansweredUpdate> Decode(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize(json, StoreJsonContext.Default.IReadOnlyListUnansweredUpdate) ?? [];

    /// <summary>The column value for <paramref name="updates"/>: null when empty.</summary>
    public static string? Encode(IReadOnlyList<UnansweredUpdate> updates) =>
        updates.Count == 0 ? null : JsonSerializer.Serialize(updates, StoreJsonContext.Default.IReadOnlyListUnansweredUpdate);
}
