namespace Horizon.Patterns.Constraints;

/// <summary>
/// Reads one constraint the way anax does, in two passes. The first decides whether the text is a
/// constraint at all: comparisons and connectives in turn, parentheses merely counted. The second
/// builds what anax evaluates: alternatives (<c>OR</c>) of terms (<c>AND</c>), a parenthesis opening a
/// nested group that the matching <c>)</c> closes. AND binds tighter than OR. Where the two passes
/// let through text that anax then evaluates oddly (<c>=&gt;</c>, a leading <c>)</c>), Horizon evaluates
/// it the same way and says so in <see cref="ConstraintExpression.Warnings"/>.
/// </summary>
internal static class ConstraintParser
{
    /// <exception cref="ConstraintSyntaxException">anax would refuse the constraint; the message says why and where.</exception>
    public static (ConstraintNode Root, IReadOnlyList<string> Warnings) Parse(string text)
    {
        Check(text);
        var warnings = new List<string>();
        ConstraintNode root;
        try
        {
            var (group, rest) = Group(text, warnings);
            root = group;
            if (ConstraintCharacters.TrimUnicodeSpace(rest).Length > 0)
            {
                warnings.Add($"Open Horizon evaluates this constraint only up to the unmatched \")\"; the rest (\"{rest.Trim()}\") is ignored, here too");
            }
        }
        catch (FormatException)
        {
            root = new OrConstraint([]);
            warnings.Add("Open Horizon accepts this constraint but cannot evaluate it, so it never matches, here too");
        }

        return (root, warnings);
    }

    private static void Check(string text)
    {
        var rest = text;
        var depth = 0;
        while (rest.Length > 0)
        {
            var before = rest;
            var (comparison, afterComparison, failure) = ConstraintStep.NextComparison(rest);
            if (failure is not null)
            {
                throw Error(text, rest, failure);
            }

            rest = afterComparison;
            while (true)
            {
                var (connective, afterConnective, connectiveFailure) = ConstraintStep.NextConnective(rest);
                if (connectiveFailure is not null)
                {
                    // Right after a parenthesis anax reads the comparison that follows; after a comparison it is an error.
                    if (comparison is not null)
                    {
                        throw Error(text, rest, connectiveFailure);
                    }

                    break;
                }

                rest = afterConnective;
                if (connective == ")")
                {
                    depth--;
                }
                else if (connective == "(")
                {
                    depth++;
                }
                else
                {
                    break;
                }
            }

            if (ReferenceEquals(rest, before) || rest == before)
            {
                throw new ConstraintSyntaxException(text, 1, "the constraint cannot be read past this point");
            }
        }

        if (depth != 0)
        {
            throw new ConstraintSyntaxException(text, text.Length + 1,
                depth > 0 ? $"{depth} \"(\" {(depth == 1 ? "is" : "are")} not closed" : $"{-depth} \")\" {(depth == -1 ? "has" : "have")} no matching \"(\"");
        }
    }

    // anax's evaluation structure: OR of ANDs, a "(" nesting a group until its ")".
    private static (OrConstraint Group, string Remaining) Group(string rest, List<string> warnings)
    {
        var terms = new List<ConstraintNode>();
        var alternatives = new List<ConstraintNode>();
        while (true)
        {
            var before = rest;
            var (comparison, afterComparison, failure) = ConstraintStep.NextComparison(rest);
            if (failure is not null)
            {
                throw new FormatException(failure.Problem.ToString());
            }

            rest = afterComparison;
            if (comparison is not null)
            {
                terms.Add(comparison);
                Warn(comparison, warnings);
            }

            var (connective, afterConnective, connectiveFailure) = ConstraintStep.NextConnective(rest);
            if (connectiveFailure is not null)
            {
                throw new FormatException(connectiveFailure.Problem.ToString());
            }

            rest = afterConnective;
            if (connective == "(")
            {
                var (nested, afterNested) = Group(rest, warnings);
                terms.Add(nested);
                (connective, rest, connectiveFailure) = ConstraintStep.NextConnective(afterNested);
                if (connectiveFailure is not null)
                {
                    throw new FormatException(connectiveFailure.Problem.ToString());
                }
            }

            if (connective is "||" or "OR")
            {
                alternatives.Add(new AndConstraint(terms));
                terms = [];
            }
            else if (connective is ")" or "")
            {
                alternatives.Add(new AndConstraint(terms));
                return (new OrConstraint(alternatives), rest);
            }
            else if (rest == before)
            {
                throw new FormatException("no progress");
            }
        }
    }

    private static void Warn(Comparison comparison, List<string> warnings)
    {
        if (comparison.Operator == ComparisonOperator.AcceptedAsEqual)
        {
            warnings.Add($"\"{comparison.Source}\": Open Horizon accepts \"{comparison.OperatorText}\" but compares numbers with it as == and never matches text or booleans with it, here too; write >= or <= if that is what you mean");
        }

        if (comparison.PropertyName.Length > 0 && char.IsWhiteSpace(comparison.PropertyName[0]))
        {
            warnings.Add($"\"{comparison.Source}\": Open Horizon keeps the whitespace before the first name as part of the name, so it matches no property, here too; remove it");
        }

        if (comparison.PropertyName.EndsWith('!') && comparison.OperatorText is "=" or "==")
        {
            warnings.Add($"\"{comparison.Source}\": Open Horizon reads \"{comparison.PropertyName.Trim()}{comparison.OperatorText}\" as the property \"{comparison.PropertyName.Trim()}\" compared with {comparison.OperatorText}, here too; put a space before != if you meant \"not equal\"");
        }

        if (comparison.ValueKind is ConstraintTokenKind.Quoted or ConstraintTokenKind.QuotedList && comparison.ValueText.Contains('\'', StringComparison.Ordinal))
        {
            warnings.Add($"\"{comparison.Source}\": single quotes are compared as part of the values (in Open Horizon too), so 'a' matches only a value written with the quotes");
        }
    }

    private static ConstraintSyntaxException Error(string text, string rest, StepFailure failure)
    {
        var offset = (text.EndsWith(rest, StringComparison.Ordinal) ? text.Length - rest.Length : 0) + failure.Offset;
        while (offset < text.Length && char.IsWhiteSpace(text[offset]) && failure.Problem != StepProblem.Unreadable)
        {
            offset++;
        }

        var before = text[..Math.Min(offset, text.Length)].TrimEnd();
        if (failure.Problem == StepProblem.NoConnective && before.EndsWith('('))
        {
            offset = before.Length - 1;
        }

        return new ConstraintSyntaxException(text, offset + 1, Reason(failure, rest, before));
    }

    private static string Reason(StepFailure failure, string rest, string before) => failure.Problem switch
    {
        StepProblem.Unreadable => failure.First switch
        {
            "&" or "|" when Doubled(rest, failure.Offset) => $"expected a property name or \"(\", found \"{failure.First}{failure.First}\"; AND and OR go between two comparisons",
            "&" or "|" => $"\"{failure.First}{failure.First}\" must have whitespace on both sides (a single \"{failure.First}\" is not an operator)",
            "\"" => "a quoted value holds only letters, digits, spaces and _ - / ! ? + ~ ' . (commas in a list), and cannot be empty",
            "," => "a list is written as one quoted string, like \"a,b\"",
            "[" => "a version range holds two three-part versions, like [1.0.0,2.0.0)",
            _ => $"'{failure.First}' is not allowed here; names and unquoted values hold letters, digits and _ - / ! ? + ~ ' .",
        },
        StepProblem.NotAName when failure.First == "in" => "expected a property name or \"(\", found \"in\"; Open Horizon's lexer reads a name starting with \"ini\" as the operator \"in\", so rename the property",
        StepProblem.NotAName => failure.First is "AND" or "OR" or "&&" or "||"
            ? $"expected a property name or \"(\", found \"{failure.First}\"; AND and OR go between two comparisons"
            : $"expected a property name or \"(\", found \"{failure.First}\"",
        StepProblem.NoOperator => failure.Second.Length == 0
            ? $"expected an operator (==, =, !=, <, >, <=, >=, in) after \"{failure.First}\""
            : $"expected an operator (==, =, !=, <, >, <=, >=, in) after \"{failure.First}\", found \"{failure.Second}\"",
        StepProblem.NoValue => failure.Second.Length == 0
            ? $"expected a value after \"{failure.First}\""
            : $"expected a value after \"{failure.First}\", found \"{failure.Second}\"",
        StepProblem.RangeNeedsIn => $"a version range ({failure.Second}) takes the operator \"in\", not \"{failure.First}\"",
        StepProblem.ListNeedsIn => $"a quoted list ({failure.Second}) takes the operator \"in\", not \"{failure.First}\", which compares one value",
        StepProblem.NotANumber => $"\"{failure.First}\" compares numbers, and {failure.Second} is not a number",
        StepProblem.InNeedsListOrVersion => $"\"in\" takes a quoted list (\"a,b\"), a version or a version range, not {failure.Second}",
        StepProblem.BadRange => $"{failure.First} is not a version range: {failure.Second}",
        _ => NoConnective(rest, before),
    };

    private static string NoConnective(string rest, string before)
    {
        if (before.EndsWith('('))
        {
            return "expected AND, OR, && or || before \"(\": a parenthesis cannot follow a comparison directly";
        }

        var next = rest.TrimStart();
        var word = new string(next.TakeWhile(c => !char.IsWhiteSpace(c)).ToArray());
        if (word is "and" or "or")
        {
            return $"expected AND, OR, && or || before \"{word}\"; they are written in capitals";
        }

        if (rest.Length > 0 && !char.IsWhiteSpace(rest[0]) && (word.StartsWith("AND", StringComparison.Ordinal) || word.StartsWith("OR", StringComparison.Ordinal)
            || word.StartsWith("&&", StringComparison.Ordinal) || word.StartsWith("||", StringComparison.Ordinal)))
        {
            return $"expected whitespace before \"{word}\": AND, OR, && and || need whitespace on both sides";
        }

        if (word.StartsWith("AND", StringComparison.Ordinal) || word.StartsWith("OR", StringComparison.Ordinal))
        {
            return $"expected whitespace after \"{word[..(word.StartsWith("AND", StringComparison.Ordinal) ? 3 : 2)]}\": AND, OR, && and || need whitespace on both sides";
        }

        if (word.StartsWith("ini", StringComparison.Ordinal) && rest.Length > 0 && !char.IsWhiteSpace(rest[0]))
        {
            return $"Open Horizon's lexer cannot read a name that starts with \"ini\" (\"{word}\"); rename the property";
        }

        if (rest.Length > 0 && !char.IsWhiteSpace(rest[0]) && ConstraintCharacters.IsNameChar(rest[0]))
        {
            return $"\"{word}\" follows the value without a space: quote a value that mixes digits and letters (\"5g\") or has more than three version parts";
        }

        return word.Length > 0 && ConstraintCharacters.IsNameChar(word[0])
            ? $"expected AND, OR, && or || before \"{word}\" (a value with spaces must be quoted)"
            : $"expected AND, OR, && or || before \"{word}\"";
    }

    private static bool Doubled(string rest, int offset) =>
        offset + 2 < rest.Length && rest[offset + 1] == rest[offset] && char.IsWhiteSpace(rest[offset + 2])
        && (offset == 0 || char.IsWhiteSpace(rest[offset - 1]));
}
