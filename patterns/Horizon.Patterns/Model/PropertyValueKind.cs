namespace Horizon.Patterns.Model;

/// <summary>The JSON shape a <see cref="PropertyValue"/> was written with.</summary>
public enum PropertyValueKind
{
    /// <summary>A JSON string.</summary>
    Text,

    /// <summary>A JSON number without fraction or exponent that fits in 64 bits.</summary>
    WholeNumber,

    /// <summary>Any other JSON number.</summary>
    RealNumber,

    /// <summary>JSON <c>true</c> or <c>false</c>.</summary>
    Truth,

    /// <summary>A JSON array of strings.</summary>
    TextList,
}
