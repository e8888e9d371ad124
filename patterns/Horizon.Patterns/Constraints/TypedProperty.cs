using System.Globalization;
using Horizon.Patterns.Model;
using Horizon.Patterns.Versions;

namespace Horizon.Patterns.Constraints;

/// <summary>A property with its type settled and its value converted once, ready for fast comparisons.</summary>
public sealed class TypedProperty
{
    private TypedProperty(string name, PropertyType type, string text)
    {
        Name = name;
        Type = type;
        Text = text;
    }

    public string Name { get; }

    public PropertyType Type { get; }

    /// <summary>The value as text (lists comma-joined).</summary>
    public string Text { get; }

    public double Number { get; private init; }

    public bool Truth { get; private init; }

    public ServiceVersion Version { get; private init; }

    public IReadOnlyList<string> List { get; private init; } = [];

    /// <summary>The Open Horizon spelling of a type: <c>string</c>, <c>int</c>, <c>float</c>, <c>boolean</c>, <c>version</c>, <c>list of strings</c>.</summary>
    public static string TypeName(PropertyType type) => type switch
    {
        PropertyType.Text => "string",
        PropertyType.WholeNumber => "int",
        PropertyType.RealNumber => "float",
        PropertyType.Truth => "boolean",
        PropertyType.Version => "version",
        _ => "list of strings",
    };

    /// <summary>Reads an Open Horizon type name; <see langword="null"/> or empty means "follow the JSON value".</summary>
    public static bool TryParseType(string? name, out PropertyType? type)
    {
        type = name?.Trim().ToUpperInvariant() switch
        {
            null or "" => null,
            "STRING" => PropertyType.Text,
            "INT" => PropertyType.WholeNumber,
            "FLOAT" => PropertyType.RealNumber,
            "BOOLEAN" => PropertyType.Truth,
            "VERSION" => PropertyType.Version,
            "LIST OF STRINGS" => PropertyType.TextList,
            _ => (PropertyType?)(-1),
        };
        if (type == (PropertyType)(-1))
        {
            type = null;
            return false;
        }

        return true;
    }

    /// <summary>Converts a property to its declared (or inferred) type.</summary>
    /// <exception cref="FormatException">The type is unknown or the value does not fit it; the message says which.</exception>
    public static TypedProperty From(Property property)
    {
        ArgumentNullException.ThrowIfNull(property);
        return TryFrom(property, out var typed, out var error) ? typed : throw new FormatException(error);
    }

    /// <summary>Converts a property to its declared (or inferred) type; on failure <paramref name="error"/> says why.</summary>
    public static bool TryFrom(Property property, out TypedProperty typed, out string error)
    {
        ArgumentNullException.ThrowIfNull(property);
        typed = null!;
        error = "";
        if (!TryParseType(property.Type, out var declared))
        {
            error = $"unknown type \"{property.Type}\"; expected one of string, int, float, boolean, version, list of strings";
            return false;
        }

        var value = property.Value;
        var type = declared ?? value.Kind switch
        {
            PropertyValueKind.Text => PropertyType.Text,
            PropertyValueKind.WholeNumber => PropertyType.WholeNumber,
            PropertyValueKind.RealNumber => PropertyType.RealNumber,
            PropertyValueKind.Truth => PropertyType.Truth,
            _ => PropertyType.TextList,
        };
        var text = value.ToString();
        switch (type)
        {
            case PropertyType.Text when value.Kind != PropertyValueKind.TextList:
                typed = new TypedProperty(property.Name, type, text);
                return true;
            case PropertyType.WholeNumber when value.Kind == PropertyValueKind.WholeNumber
                || (value.Kind == PropertyValueKind.Text && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)):
                typed = new TypedProperty(property.Name, type, text) { Number = long.Parse(text, CultureInfo.InvariantCulture) };
                return true;
            case PropertyType.RealNumber when value.Kind is PropertyValueKind.WholeNumber or PropertyValueKind.RealNumber
                || (value.Kind == PropertyValueKind.Text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)):
                typed = new TypedProperty(property.Name, type, text) { Number = value.Kind == PropertyValueKind.Text ? double.Parse(text, CultureInfo.InvariantCulture) : value.RealNumber };
                return true;
            case PropertyType.Truth when value.Kind == PropertyValueKind.Truth || (value.Kind == PropertyValueKind.Text && bool.TryParse(text, out _)):
                typed = new TypedProperty(property.Name, type, text) { Truth = value.Kind == PropertyValueKind.Truth ? value.Truth : bool.Parse(text) };
                return true;
            case PropertyType.Version when value.Kind != PropertyValueKind.TextList && ServiceVersion.TryParse(text, out var version):
                typed = new TypedProperty(property.Name, type, text) { Version = version };
                return true;
            case PropertyType.TextList:
                var items = value.Kind == PropertyValueKind.TextList
                    ? value.List!.ToArray()
                    : text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                typed = new TypedProperty(property.Name, type, string.Join(',', items)) { List = items };
                return true;
            default:
                error = value.Kind == PropertyValueKind.TextList
                    ? $"a list is not a {TypeName(type)}"
                    : $"\"{text}\" is not a{(type == PropertyType.WholeNumber ? "n" : "")} {TypeName(type)}";
                return false;
        }
    }

    public override string ToString() => $"{Name} = {Text} ({TypeName(Type)})";
}
