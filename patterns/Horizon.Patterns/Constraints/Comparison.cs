namespace Horizon.Patterns.Constraints;

/// <summary>
/// <c>name op value</c>, evaluated as anax evaluates it. The property's type decides: numbers compare
/// numerically (any operator but <c>&lt; &gt; &lt;= &gt;= !=</c> means equal), booleans take <c>==</c>,
/// <c>=</c> and <c>!=</c>, and everything else compares as text (<c>==</c> also matches one item of a
/// comma-separated property, <c>in</c> looks the value up in the list or the version in the range).
/// A missing property never satisfies a comparison, <c>!=</c> included.
/// </summary>
public sealed class Comparison : ConstraintNode
{
    private readonly string _unquoted;
    private readonly double? _number;
    private readonly bool? _truth;

    internal Comparison(string propertyName, string operatorText, string valueText, ConstraintTokenKind valueKind)
    {
        PropertyName = propertyName;
        OperatorText = operatorText;
        ValueText = valueText;
        ValueKind = valueKind;
        Operator = operatorText switch
        {
            "==" or "=" => ComparisonOperator.Equal,
            "!=" => ComparisonOperator.NotEqual,
            "<" => ComparisonOperator.Less,
            "<=" => ComparisonOperator.LessOrEqual,
            ">" => ComparisonOperator.Greater,
            ">=" => ComparisonOperator.GreaterOrEqual,
            "in" => ComparisonOperator.In,
            _ => ComparisonOperator.AcceptedAsEqual,
        };
        _unquoted = ConstraintCharacters.TrimSpaces(ConstraintCharacters.Unquote(valueText));
        _number = OpenHorizonValues.ParseNumber(valueText);
        _truth = OpenHorizonValues.ParseTruth(valueText);
    }

    /// <summary>The property name as anax reads it; whitespace before the first name of a constraint stays part of it.</summary>
    public string PropertyName { get; }

    public ComparisonOperator Operator { get; }

    public string OperatorText { get; }

    /// <summary>The value as written, quotes included.</summary>
    public string ValueText { get; }

    internal ConstraintTokenKind ValueKind { get; }

    /// <summary>The comparison as it reads: <c>name op value</c>.</summary>
    public string Source => $"{PropertyName.Trim()} {OperatorText} {ValueText}";

    public override bool IsSatisfiedBy(PropertySet properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        return properties.TryGet(PropertyName, out var property) && Check(property) == Outcome.Satisfied;
    }

    internal override void Explain(PropertySet properties, List<string> reasons)
    {
        if (!properties.TryGet(PropertyName, out var property))
        {
            reasons.Add($"\"{Source}\" is not met: there is no property \"{PropertyName}\"");
            return;
        }

        var why = Check(property) switch
        {
            Outcome.Satisfied => null,
            Outcome.NotANumber => $"\"{ValueText}\" is not a number, but {PropertyName} is a{(property.Type == PropertyType.WholeNumber ? "n" : "")} {TypedProperty.TypeName(property.Type)} (value {property.Text})",
            Outcome.NotATruth => $"\"{ValueText}\" is not true or false, but {PropertyName} is a boolean (value {property.Text})",
            Outcome.NotApplicable => $"operator \"{OperatorText}\" never matches {TypedProperty.TypeName(property.Type)} property {PropertyName} in Open Horizon's evaluation",
            _ => $"{PropertyName} is {(property.Type == PropertyType.TextList ? $"[{property.Text}]" : property.Text)}",
        };
        if (why is not null)
        {
            reasons.Add($"\"{Source}\" is not met: {why}");
        }
    }

    public override string ToString() => Source;

    private Outcome Check(TypedProperty property) => property.Type switch
    {
        PropertyType.WholeNumber or PropertyType.RealNumber => CheckNumber(property.Number),
        PropertyType.Truth => CheckTruth(property.Truth),
        _ => CheckText(property),
    };

    private Outcome CheckNumber(double actual)
    {
        if (_number is not { } wanted)
        {
            return Outcome.NotANumber;
        }

        return Result(Operator switch
        {
            ComparisonOperator.Less => actual < wanted,
            ComparisonOperator.Greater => actual > wanted,
            ComparisonOperator.LessOrEqual => actual <= wanted,
            ComparisonOperator.GreaterOrEqual => actual >= wanted,
            ComparisonOperator.NotEqual => actual != wanted,
            _ => actual == wanted,
        });
    }

    private Outcome CheckTruth(bool actual)
    {
        if (Operator is not (ComparisonOperator.Equal or ComparisonOperator.NotEqual))
        {
            return Outcome.NotApplicable;
        }

        if (_truth is not { } wanted)
        {
            return Outcome.NotATruth;
        }

        return Result((actual == wanted) == (Operator == ComparisonOperator.Equal));
    }

    private Outcome CheckText(TypedProperty property)
    {
        var actual = ConstraintCharacters.TrimSpaces(ConstraintCharacters.Unquote(property.Text));
        var isList = property.Type == PropertyType.TextList;
        switch (Operator)
        {
            case ComparisonOperator.NotEqual:
                return Result(isList ? !ListHolds(actual, _unquoted) : actual != _unquoted);
            case ComparisonOperator.In:
                if (property.Type == PropertyType.Version
                    || (OpenHorizonValues.IsVersionOrInfinity(actual) && OpenHorizonValues.LooksLikeRange(_unquoted)))
                {
                    return Result(OpenHorizonValues.TryRange(_unquoted, out var range)
                        && Versions.ServiceVersion.TryParse(actual, out var version) && OpenHorizonValues.Contains(range, version));
                }

                return Result(isList ? AnyItemIn(actual, _unquoted) : ListHolds(_unquoted, actual));
            case ComparisonOperator.Equal:
                return Result(ListHolds(actual, _unquoted) || actual == _unquoted);
            default:
                return Outcome.NotApplicable;
        }
    }

    // anax's stringListContains: whether one of the comma-separated items of the list is the value,
    // each trimmed of spaces and then of one pair of double quotes (single quotes stay).
    // Spans, because the agbot evaluates this for every node it scans.
    private static bool ListHolds(string list, string value)
    {
        var wanted = Normalize(value);
        var rest = list.AsSpan();
        while (true)
        {
            var comma = rest.IndexOf(',');
            if (Normalize(comma < 0 ? rest : rest[..comma]).SequenceEqual(wanted))
            {
                return true;
            }

            if (comma < 0)
            {
                return false;
            }

            rest = rest[(comma + 1)..];
        }
    }

    private static ReadOnlySpan<char> Normalize(ReadOnlySpan<char> item)
    {
        item = item.Trim(' ');
        return item.Length >= 2 && item[0] == '"' && item[^1] == '"' ? item[1..^1] : item;
    }

    private static bool AnyItemIn(string items, string list)
    {
        foreach (var item in items.Split(','))
        {
            if (ListHolds(list, item))
            {
                return true;
            }
        }

        return false;
    }

    private static Outcome Result(bool satisfied) => satisfied ? Outcome.Satisfied : Outcome.Unmet;

    private enum Outcome
    {
        Satisfied,
        Unmet,
        NotANumber,
        NotATruth,
        NotApplicable,
    }
}
