namespace Horizon.Patterns.Constraints;

/// <summary>The declared type of a policy property, which decides how constraints compare it.</summary>
public enum PropertyType
{
    /// <summary><c>string</c>.</summary>
    Text,

    /// <summary><c>int</c>.</summary>
    WholeNumber,

    /// <summary><c>float</c>.</summary>
    RealNumber,

    /// <summary><c>boolean</c>.</summary>
    Truth,

    /// <summary><c>version</c>.</summary>
    Version,

    /// <summary><c>list of strings</c>.</summary>
    TextList,
}
