using System.Text.Json.Serialization;

namespace Horizon.Patterns.Model;

/// <summary>A supplied value for a service's user input: <c>{"name": ..., "value": ...}</c>.</summary>
public sealed record UserInputValue
{
    public UserInputValue()
    {
    }

    public UserInputValue(string name, PropertyValue value)
    {
        Name = name;
        Value = value;
    }

    [JsonPropertyName("name")]
    public string Name { get; init => field = value ?? ""; } = "";

    [JsonPropertyName("value")]
    public PropertyValue Value { get; init => field = value ?? PropertyValue.FromText(""); } = PropertyValue.FromText("");
}
