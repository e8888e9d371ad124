using System.Globalization;
using System.Text.Json.Serialization;
using Horizon.Patterns.Json;

namespace Horizon.Patterns.Model;

/// <summary>
/// The value of a policy property or user input exactly as JSON gave it: a string, a number,
/// a boolean or an array of strings. How it compares is decided by the property's declared type.
/// </summary>
[JsonConverter(typeof(PropertyValueJsonConverter))]
public sealed class PropertyValue : IEquatable<PropertyValue>
{
    private PropertyValue(PropertyValueKind kind, string? text, long whole, double real, bool truth, IReadOnlyList<string>? list)
    {
        Kind = kind;
        Text = text;
        WholeNumber = whole;
        RealNumber = real;
        Truth = truth;
        List = list;
    }

    public PropertyValueKind Kind { get; }

    /// <summary>Set when <see cref="Kind"/> is <see cref="PropertyValueKind.Text"/>.</summary>
    public string? Text { get; }

    public long WholeNumber { get; }

    /// <summary>The number as a double for both numeric kinds.</summary>
    public double RealNumber { get; }

    public bool Truth { get; }

    /// <summary>Set when <see cref="Kind"/> is <see cref="PropertyValueKind.TextList"/>.</summary>
    public IReadOnlyList<string>? List { get; }

    public static PropertyValue FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new(PropertyValueKind.Text, text, 0, 0, false, null);
    }

    public static PropertyValue FromWholeNumber(long value) => new(PropertyValueKind.WholeNumber, null, value, value, false, null);

    public static PropertyValue FromRealNumber(double value) => new(PropertyValueKind.RealNumber, null, 0, value, false, null);

    public static PropertyValue FromTruth(bool value) => new(PropertyValueKind.Truth, null, 0, 0, value, null);

    public static PropertyValue FromList(IEnumerable<string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return new(PropertyValueKind.TextList, null, 0, 0, false, items.ToArray());
    }

    public static implicit operator PropertyValue(string text) => FromText(text);

    public static implicit operator PropertyValue(long value) => FromWholeNumber(value);

    public static implicit operator PropertyValue(double value) => FromRealNumber(value);

    public static implicit operator PropertyValue(bool value) => FromTruth(value);

    /// <summary>The value as a node agent passes it in an environment variable (lists comma-joined).</summary>
    public override string ToString() => Kind switch
    {
        PropertyValueKind.Text => Text!,
        PropertyValueKind.WholeNumber => WholeNumber.ToString(CultureInfo.InvariantCulture),
        PropertyValueKind.RealNumber => RealNumber.ToString("R", CultureInfo.InvariantCulture),
        PropertyValueKind.Truth => Truth ? "true" : "false",
        _ => string.Join(',', List!),
    };

    public bool Equals(PropertyValue? other) =>
        other is not null && other.Kind == Kind && (Kind == PropertyValueKind.TextList
            ? List!.SequenceEqual(other.List!, StringComparer.Ordinal)
            : string.Equals(ToString(), other.ToString(), StringComparison.Ordinal));

    public override bool Equals(object? obj) => Equals(obj as PropertyValue);

    public override int GetHashCode() => HashCode.Combine(Kind, ToString());
}
