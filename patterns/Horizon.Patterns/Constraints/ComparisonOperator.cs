namespace Horizon.Patterns.Constraints;

/// <summary>The comparison operators of Open Horizon's constraint language.</summary>
public enum ComparisonOperator
{
    /// <summary><c>==</c> or <c>=</c>.</summary>
    Equal,

    /// <summary><c>!=</c>.</summary>
    NotEqual,

    /// <summary><c>&lt;</c>.</summary>
    Less,

    /// <summary><c>&lt;=</c>.</summary>
    LessOrEqual,

    /// <summary><c>&gt;</c>.</summary>
    Greater,

    /// <summary><c>&gt;=</c>.</summary>
    GreaterOrEqual,

    /// <summary><c>in</c>: the property's value is one of a list, or a version lies in a range.</summary>
    In,
}
