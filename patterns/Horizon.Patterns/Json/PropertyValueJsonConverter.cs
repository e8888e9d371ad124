using System.Text.Json;
using System.Text.Json.Serialization;
using Horizon.Patterns.Model;

namespace Horizon.Patterns.Json;

/// <summary>Reads and writes a <see cref="PropertyValue"/> as the JSON scalar or string array it stands for.</summary>
public sealed class PropertyValueJsonConverter : JsonConverter<PropertyValue>
{
    public override PropertyValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return PropertyValue.FromText(reader.GetString()!);
            case JsonTokenType.True:
            case JsonTokenType.False:
                return PropertyValue.FromTruth(reader.GetBoolean());
            case JsonTokenType.Number:
                return reader.TryGetInt64(out var whole) ? PropertyValue.FromWholeNumber(whole) : PropertyValue.FromRealNumber(reader.GetDouble());
            case JsonTokenType.StartArray:
                var items = new List<string>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(reader.TokenType switch
                    {
                        JsonTokenType.String => reader.GetString()!,
                        JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
                        _ => throw new JsonException("expected a list of strings"),
                    });
                }

                return PropertyValue.FromList(items);
            default:
                throw new JsonException("expected a string, number, boolean or list of strings");
        }
    }

    public override void Write(Utf8JsonWriter writer, PropertyValue value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        switch (value.Kind)
        {
            case PropertyValueKind.Text:
                writer.WriteStringValue(value.Text);
                break;
            case PropertyValueKind.WholeNumber:
                writer.WriteNumberValue(value.WholeNumber);
                break;
            case PropertyValueKind.RealNumber:
                writer.WriteNumberValue(value.RealNumber);
                break;
            case PropertyValueKind.Truth:
                writer.WriteBooleanValue(value.Truth);
                break;
            default:
                writer.WriteStartArray();
                foreach (var item in value.List!)
                {
                    writer.WriteStringValue(item);
                }

                writer.WriteEndArray();
                break;
        }
    }
}
