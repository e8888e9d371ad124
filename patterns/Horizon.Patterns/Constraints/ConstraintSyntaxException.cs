namespace Horizon.Patterns.Constraints;

/// <summary>
/// Thrown when a constraint expression does not parse. <see cref="Column"/> is 1-based and points at
/// the offending character; the message reads <c>column 18: expected a value after "=="</c>.
/// </summary>
public sealed class ConstraintSyntaxException : FormatException
{
    public ConstraintSyntaxException()
    {
        Expression = "";
        Reason = "";
    }

    public ConstraintSyntaxException(string message)
        : base(message)
    {
        Expression = "";
        Reason = message;
    }

    public ConstraintSyntaxException(string message, Exception innerException)
        : base(message, innerException)
    {
        Expression = "";
        Reason = message;
    }

    public ConstraintSyntaxException(string expression, int column, string reason)
        : base($"column {column}: {reason}")
    {
        Expression = expression;
        Column = column;
        Reason = reason;
    }

    /// <summary>The expression that failed to parse.</summary>
    public string Expression { get; }

    /// <summary>1-based column of the problem.</summary>
    public int Column { get; }

    /// <summary>The message without the column prefix.</summary>
    public string Reason { get; }

    /// <summary>The expression with a caret under the offending column, for terminals.</summary>
    public string Caret => $"{Expression}{Environment.NewLine}{new string(' ', Math.Max(0, Column - 1))}^";
}
