namespace Horizon.Patterns.Constraints;

/// <summary>The comparison operators of Open Horizon's constraint language, as anax evaluates them.</summary>
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

    /// <summary>
    /// <c>=&gt;</c>, <c>=&lt;</c>, <c>=&gt;=</c>, <c>=&lt;=</c>: anax's grammar accepts them, and its evaluation
    /// compares numbers with them as <c>==</c> and never matches a string or boolean.
    /// </summary>
    AcceptedAsEqual,
}
