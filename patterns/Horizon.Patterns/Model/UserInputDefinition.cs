using System.Text.Json.Serialization;

namespace Horizon.Patterns.Model;

/// <summary>A variable a service accepts: <c>userInput[]</c> in Open Horizon's service definition.</summary>
public sealed record UserInputDefinition
{
    [JsonPropertyName("name")]
    public string Name { get; init => field = value ?? ""; } = "";

    [JsonPropertyName("label")]
    public string? Label { get; init; }

    /// <summary>One of <c>string</c>, <c>int</c>, <c>float</c>, <c>boolean</c>, <c>list of strings</c>.</summary>
    [JsonPropertyName("type")]
    public string Type { get; init; } = "string";

    /// <summary>The value used when nobody supplies one; <see langword="null"/> means the input is required.</summary>
    [JsonPropertyName("defaultValue")]
    public string? DefaultValue { get; init; }
}
