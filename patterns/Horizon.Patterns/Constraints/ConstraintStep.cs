namespace Horizon.Patterns.Constraints;

/// <summary>
/// One step through constraint text, as anax takes it: a comparison (<c>name op value</c>) or a
/// connective (<c>AND</c>, <c>OR</c>, a parenthesis) is read from the start of the remaining text and
/// the text it was read from is cut off. anax cuts by searching for the lexemes it kept, not by
/// position, and Horizon does the same so that the two agree on every input.
/// </summary>
internal static class ConstraintStep
{
    /// <summary>Reads a comparison; <c>(null, rest, null)</c> at the end or where a parenthesis comes first.</summary>
    public static (Comparison? Comparison, string Remaining, StepFailure? Failure) NextComparison(string rest)
    {
        if (ConstraintCharacters.TrimUnicodeSpace(rest).Length == 0)
        {
            return (null, "", null);
        }

        var scanner = new ConstraintScanner(rest);
        if (!scanner.TryNext(out var first))
        {
            return (null, rest, StepFailure.Unreadable(scanner.Position, rest[scanner.Position]));
        }

        if (first.Kind is ConstraintTokenKind.Open or ConstraintTokenKind.Close)
        {
            return (null, rest, null);
        }

        if (!first.IsName)
        {
            return (null, rest, new StepFailure(StepProblem.NotAName, 0, first.Value.Trim()));
        }

        var name = first.Value;
        var second = Read(scanner, rest, out var failure);
        if (failure is not null)
        {
            return (null, rest, failure);
        }

        string op;
        string value;
        ConstraintTokenKind valueKind;
        bool joinedIn = false;
        if (!second.IsOperator)
        {
            // anax reads "namein value" as "name in value" when the name is longer than three bytes.
            if (System.Text.Encoding.UTF8.GetByteCount(name) > 3 && name.EndsWith("in", StringComparison.Ordinal))
            {
                name = name[..^2];
                op = "in";
                value = second.Value;
                valueKind = second.Kind;
                joinedIn = true;
                if (!second.IsValue)
                {
                    return (null, rest, new StepFailure(StepProblem.NoValue, first.Length, "in", second.Value.Trim()));
                }
            }
            else if (name.Trim() is "AND" or "OR")
            {
                return (null, rest, new StepFailure(StepProblem.NotAName, 0, name.Trim()));
            }
            else
            {
                return (null, rest, new StepFailure(StepProblem.NoOperator, first.Length, name.Trim(), second.Value.Trim()));
            }
        }
        else
        {
            op = second.Value;
            var valueStart = scanner.Position;
            var third = Read(scanner, rest, out failure);
            if (failure is not null)
            {
                return (null, rest, failure);
            }

            if (!third.IsValue)
            {
                return (null, rest, new StepFailure(StepProblem.NoValue, valueStart, op.Trim(), third.Value.Trim()));
            }

            value = third.Value;
            valueKind = third.Kind;
        }

        var pairing = joinedIn ? null : CheckPairing(second.Kind, op, value, valueKind, first.Length + second.Length);
        if (pairing is not null)
        {
            return (null, rest, pairing);
        }

        var comparison = new Comparison(name, op.Trim(), value.Trim(), valueKind);
        return (comparison, ReplaceFirst(rest, name + op + value), null);
    }

    /// <summary>Reads a connective: <c>AND</c>/<c>&amp;&amp;</c>, <c>OR</c>/<c>||</c>, <c>(</c> or <c>)</c>; <c>""</c> at the end.</summary>
    public static (string Connective, string Remaining, StepFailure? Failure) NextConnective(string rest)
    {
        if (ConstraintCharacters.TrimUnicodeSpace(rest).Length == 0)
        {
            return ("", "", null);
        }

        var scanner = new ConstraintScanner(rest);
        if (!scanner.TryNext(out var token))
        {
            return ("", rest, StepFailure.Unreadable(scanner.Position, rest[scanner.Position]));
        }

        return token.Kind switch
        {
            ConstraintTokenKind.Close or ConstraintTokenKind.End => (")", ReplaceFirst(rest, token.Value), null),
            ConstraintTokenKind.And or ConstraintTokenKind.Or or ConstraintTokenKind.Open => (token.Value.Trim(), ReplaceFirst(rest, token.Value), null),
            _ => ("", rest, new StepFailure(StepProblem.NoConnective, 0, rest)),
        };
    }

    private static ConstraintToken Read(ConstraintScanner scanner, string rest, out StepFailure? failure)
    {
        failure = null;
        if (scanner.TryNext(out var token))
        {
            return token;
        }

        failure = StepFailure.Unreadable(scanner.Position, rest[scanner.Position]);
        return default;
    }

    // What anax checks of an operator and its value before it knows any property's type.
    private static StepFailure? CheckPairing(ConstraintTokenKind opKind, string op, string value, ConstraintTokenKind valueKind, int at)
    {
        var shownOp = op.Trim();
        var shownValue = value.Trim();
        switch (opKind)
        {
            case ConstraintTokenKind.Equal when valueKind == ConstraintTokenKind.VersionRange:
                return new StepFailure(StepProblem.RangeNeedsIn, at, shownOp, shownValue);
            case ConstraintTokenKind.Equal when valueKind == ConstraintTokenKind.QuotedList:
                return new StepFailure(StepProblem.ListNeedsIn, at, shownOp, shownValue);
            case ConstraintTokenKind.Compare when OpenHorizonValues.ParseNumber(value) is null:
                return new StepFailure(StepProblem.NotANumber, at, shownOp, shownValue);
            case ConstraintTokenKind.In when valueKind is not (ConstraintTokenKind.QuotedList or ConstraintTokenKind.Quoted or ConstraintTokenKind.VersionRange or ConstraintTokenKind.Version):
                return new StepFailure(StepProblem.InNeedsListOrVersion, at, shownOp, shownValue);
            case ConstraintTokenKind.In when valueKind == ConstraintTokenKind.VersionRange && OpenHorizonValues.RangeProblem(value) is { } problem:
                return new StepFailure(StepProblem.BadRange, at, shownValue, problem);
            default:
                return null;
        }
    }

    private static string ReplaceFirst(string text, string what)
    {
        if (what.Length == 0)
        {
            return text;
        }

        var at = text.IndexOf(what, StringComparison.Ordinal);
        return at < 0 ? text : string.Concat(text.AsSpan(0, at), text.AsSpan(at + what.Length));
    }
}

/// <summary>Why a step failed.</summary>
internal enum StepProblem
{
    Unreadable,
    NotAName,
    NoOperator,
    NoValue,
    RangeNeedsIn,
    ListNeedsIn,
    NotANumber,
    InNeedsListOrVersion,
    BadRange,
    NoConnective,
}

/// <summary>A failed step: the problem, where in the remaining text it is, and what was found there.</summary>
internal sealed record StepFailure(StepProblem Problem, int Offset, string First, string Second = "")
{
    public static StepFailure Unreadable(int offset, char character) => new(StepProblem.Unreadable, offset, character.ToString());
}
