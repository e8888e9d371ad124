using Horizon.Patterns.Validation;

namespace Horizon.Patterns.Constraints;

/// <summary>
/// The <c>constraints</c> array of a policy: every expression must hold. Blank entries are ignored,
/// and an empty set is satisfied by anything.
/// </summary>
public sealed class ConstraintSet
{
    private readonly ConstraintExpression[] expressions;

    private ConstraintSet(ConstraintExpression[] expressions) => this.expressions = expressions;

    public static ConstraintSet Empty { get; } = new([]);

    public IReadOnlyList<ConstraintExpression> Expressions => expressions;

    /// <summary>Every expression's <see cref="ConstraintExpression.Warnings"/>, prefixed with its path.</summary>
    public IReadOnlyList<string> Warnings { get; private init; } = [];

    /// <summary>Parses every expression.</summary>
    /// <exception cref="ModelFormatException">An expression is malformed; each error reads <c>constraints[i]: column c: reason</c>.</exception>
    public static ConstraintSet Parse(IEnumerable<string> constraints, string path = "constraints")
    {
        ArgumentNullException.ThrowIfNull(constraints);
        var parsed = new List<ConstraintExpression>();
        var warnings = new List<string>();
        var errors = new ValidationErrors();
        var index = 0;
        foreach (var text in constraints)
        {
            if (!string.IsNullOrWhiteSpace(text))
            {
                try
                {
                    var expression = ConstraintExpression.Parse(text);
                    parsed.Add(expression);
                    warnings.AddRange(expression.Warnings.Select(w => $"{path}[{index}]: {w}"));
                }
                catch (ConstraintSyntaxException ex)
                {
                    errors.Add($"{path}[{index}]", ex.Message);
                }
            }

            index++;
        }

        return errors.Items.Count == 0 ? new ConstraintSet([.. parsed]) { Warnings = warnings } : throw new ModelFormatException(errors.Items);
    }

    public bool IsSatisfiedBy(PropertySet properties)
    {
        foreach (var expression in expressions)
        {
            if (!expression.IsSatisfiedBy(properties))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Why <paramref name="properties"/> do not satisfy the set; empty when they do.</summary>
    public IReadOnlyList<string> Explain(PropertySet properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var reasons = new List<string>();
        foreach (var expression in expressions)
        {
            expression.Root.Explain(properties, reasons);
        }

        return reasons;
    }
}
