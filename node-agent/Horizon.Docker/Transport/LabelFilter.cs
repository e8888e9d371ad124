using System.Text.Json;

namespace Horizon.Docker;

/// <summary>Builds the engine's <c>filters</c> query parameter: JSON of name to values.</summary>
internal static class LabelFilter
{
    public static string? ToJson(IReadOnlyList<string> labels) =>
        labels.Count == 0 ? null : ToJson(new Dictionary<string, IReadOnlyList<string>> { ["label"] = labels });

    public static string ToJson(Dictionary<string, IReadOnlyList<string>> filters) =>
        JsonSerializer.Serialize(filters, DockerJsonContext.Default.DictionaryStringIReadOnlyListString);
}
