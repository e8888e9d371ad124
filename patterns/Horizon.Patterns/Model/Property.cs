using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Horizon.Patterns.Model;

/// <summary>
/// A policy property: <c>{"name": ..., "value": ..., "type": ...}</c>. <see cref="Type"/> is one of
/// <c>string</c>, <c>int</c>, <c>float</c>, <c>boolean</c>, <c>version</c>, <c>list of strings</c>;
/// when absent, the type follows the JSON value.
/// </summary>
[SuppressMessage("Naming", "CA1716", Justification = "Open Horizon users know policy properties by this name; no VB consumers.")]
public sealed record Property
{
    public Property()
    {
    }

    public Property(string name, PropertyValue value, string? type = null)
    {
        Name = name;
        Value = value;
        Type = type;
    }

    [JsonPropertyName("name")]
    public string Name { get; init => field = value ?? ""; } = "";

    [JsonPropertyName("value")]
    public PropertyValue Value { get; init => field = value ?? PropertyValue.FromText(""); } = PropertyValue.FromText("");

    [JsonPropertyName("type")]
    public string? Type { get; init; }
}
