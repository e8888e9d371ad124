namespace Horizon.Patterns.Constraints;

/// <summary>
/// <c>name op value</c>. How it compares depends on the type of the property found under
/// <see cref="PropertyName"/>; a missing property never satisfies a comparison.
/// </summary>
public sealed class Comparison : ConstraintNode
{
    internal Comparison(string propertyName, ComparisonOperator op, string operatorText, ConstraintOperand operand, int column, string source)
    {
        PropertyName = propertyName;
        Operator = op;
        OperatorText = operatorText;
        Operand = operand;
        Column = column;
        Source = source;
    }

    public string PropertyName { get; }

    public ComparisonOperator Operator { get; }

    public string OperatorText { get; }

    public ConstraintOperand Operand { get; }

    /// <summary>1-based column where the comparison starts in its expression.</summary>
    public int Column { get; }

    /// <summary>The comparison as written.</summary>
    public string Source { get; }

    public override bool IsSatisfiedBy(PropertySet properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        return Check(properties, out _) == ComparisonOutcome.Satisfied;
    }

    internal override void Explain(PropertySet properties, List<string> reasons)
    {
        var outcome = Check(properties, out var property);
        var why = outcome switch
        {
            ComparisonOutcome.Satisfied => null,
            ComparisonOutcome.Missing => $"there is no property \"{PropertyName}\"",
            ComparisonOutcome.OperandNotConvertible =>
                $"\"{Operand.Text}\" is not a{(property!.Type == PropertyType.WholeNumber ? "n" : "")} {TypedProperty.TypeName(property.Type)}, but {PropertyName} is one (value {property.Text})",
            ComparisonOutcome.OperatorNotApplicable =>
                $"operator \"{OperatorText}\" does not apply to {TypedProperty.TypeName(property!.Type)} property {PropertyName}",
            _ => $"{PropertyName} is {Describe(property!)}",
        };
        if (why is not null)
        {
            reasons.Add($"\"{Source}\" is not met: {why}");
        }
    }

    public override string ToString() => Source;

    private static string Describe(TypedProperty property) =>
        property.Type == PropertyType.TextList ? $"[{property.Text}]" : property.Text;

    internal ComparisonOutcome Check(PropertySet properties, out TypedProperty? property)
    {
        if (!properties.TryGet(PropertyName, out var found))
        {
            property = null;
            return ComparisonOutcome.Missing;
        }

        property = found;
        return found.Type switch
        {
            PropertyType.Text => CheckText(found),
            PropertyType.TextList => CheckList(found),
            PropertyType.WholeNumber or PropertyType.RealNumber => CheckNumber(found),
            PropertyType.Truth => CheckTruth(found),
            _ => CheckVersion(found),
        };
    }

    private static ComparisonOutcome Result(bool satisfied) => satisfied ? ComparisonOutcome.Satisfied : ComparisonOutcome.Unmet;

    private ComparisonOutcome CheckText(TypedProperty property) => Operator switch
    {
        ComparisonOperator.Equal => Result(string.Equals(property.Text, Operand.Text, StringComparison.Ordinal)),
        ComparisonOperator.NotEqual => Result(!string.Equals(property.Text, Operand.Text, StringComparison.Ordinal)),
        ComparisonOperator.In => Result(Contains(Operand.Items, property.Text)),
        _ => ComparisonOutcome.OperatorNotApplicable,
    };

    private ComparisonOutcome CheckList(TypedProperty property)
    {
        switch (Operator)
        {
            case ComparisonOperator.Equal:
                return Result(Contains(property.List, Operand.Text));
            case ComparisonOperator.NotEqual:
                return Result(!Contains(property.List, Operand.Text));
            case ComparisonOperator.In:
                foreach (var item in property.List)
                {
                    if (Contains(Operand.Items, item))
                    {
                        return ComparisonOutcome.Satisfied;
                    }
                }

                return ComparisonOutcome.Unmet;
            default:
                return ComparisonOutcome.OperatorNotApplicable;
        }
    }

    private ComparisonOutcome CheckNumber(TypedProperty property)
    {
        if (Operator == ComparisonOperator.In)
        {
            var convertible = false;
            foreach (var n in Operand.Numbers)
            {
                if (n is { } value)
                {
                    convertible = true;
                    if (value.Equals(property.Number))
                    {
                        return ComparisonOutcome.Satisfied;
                    }
                }
            }

            return convertible ? ComparisonOutcome.Unmet : ComparisonOutcome.OperandNotConvertible;
        }

        if (Operand.Number is not { } number)
        {
            return ComparisonOutcome.OperandNotConvertible;
        }

        return Result(Compare(property.Number.CompareTo(number)));
    }

    private ComparisonOutcome CheckTruth(TypedProperty property)
    {
        if (Operator is not (ComparisonOperator.Equal or ComparisonOperator.NotEqual))
        {
            return ComparisonOutcome.OperatorNotApplicable;
        }

        return Operand.Truth is { } truth
            ? Result((property.Truth == truth) == (Operator == ComparisonOperator.Equal))
            : ComparisonOutcome.OperandNotConvertible;
    }

    private ComparisonOutcome CheckVersion(TypedProperty property)
    {
        if (Operator == ComparisonOperator.In)
        {
            if (Operand.Range is { } range)
            {
                return Result(range.Contains(property.Version));
            }

            // A bare version after "in" means "at least", as in a service's versionRange.
            return Operand.Version is { } floor ? Result(property.Version >= floor) : ComparisonOutcome.OperandNotConvertible;
        }

        return Operand.Version is { } version
            ? Result(Compare(property.Version.CompareTo(version)))
            : ComparisonOutcome.OperandNotConvertible;
    }

    private bool Compare(int c) => Operator switch
    {
        ComparisonOperator.Equal => c == 0,
        ComparisonOperator.NotEqual => c != 0,
        ComparisonOperator.Less => c < 0,
        ComparisonOperator.LessOrEqual => c <= 0,
        ComparisonOperator.Greater => c > 0,
        _ => c >= 0,
    };

    private static bool Contains(IReadOnlyList<string> items, string value)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (string.Equals(items[i], value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
