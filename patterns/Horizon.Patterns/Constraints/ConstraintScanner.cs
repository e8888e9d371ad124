using System.Text;

namespace Horizon.Patterns.Constraints;

/// <summary>
/// Splits constraint text into lexemes exactly as anax's lexer does, so that Horizon accepts and
/// rejects the same constraints: at each position the kinds are tried in a fixed order and the
/// first that matches wins; a kind matches greedily and never backs up inside itself. Both rules
/// have visible effects (<c>a==1&amp;&amp;b==2</c> does not lex, <c>5g</c> is the number 5 then a name)
/// that users of Open Horizon have already met, which is why they are kept.
/// </summary>
internal sealed class ConstraintScanner(string text)
{
    private readonly StringBuilder _kept = new();
    private int _position;

    public int Position => _position;

    /// <summary>Reads the next lexeme; false when none starts at <see cref="Position"/> (which then stays put).</summary>
    public bool TryNext(out ConstraintToken token)
    {
        if (_position >= text.Length)
        {
            token = new ConstraintToken(ConstraintTokenKind.End, "", 0);
            return true;
        }

        var start = _position;
        foreach (var (kind, match) in Kinds)
        {
            _position = start;
            _kept.Clear();
            if (match(this))
            {
                token = new ConstraintToken(kind, _kept.ToString(), _position - start);
                return true;
            }
        }

        _position = start;
        token = default;
        return false;
    }

    private static readonly (ConstraintTokenKind Kind, Func<ConstraintScanner, bool> Match)[] Kinds =
    [
        (ConstraintTokenKind.NameStartingIn, s => s.Literal("in") && Repeat(() => s.Literal("in")) && s.Char(ConstraintCharacters.IsNameChar) && s.Many(ConstraintCharacters.IsNameChar)),
        (ConstraintTokenKind.And, s => s.Connective("AND", "&&")),
        (ConstraintTokenKind.Or, s => s.Connective("OR", "||")),
        (ConstraintTokenKind.Compare, s => s.Spaces() && Optional(() => s.Literal("=")) && s.Char(c => c is '<' or '>') && Optional(() => s.Literal("=")) && s.Spaces()),
        (ConstraintTokenKind.In, s => s.Spaces() && s.Literal("in") && s.Spaces()),
        (ConstraintTokenKind.Equal, s => s.Spaces() && (s.Literal("!=") || (s.Literal("=") && Optional(() => s.Literal("=")))) && s.Spaces()),
        (ConstraintTokenKind.VersionRange, s => s.Spaces() && s.Char(c => c is '(' or '[') && s.ThreePartVersion() && s.Spaces() && s.Literal(",") && s.Spaces()
            && (s.ThreePartVersion() || s.Literal("INFINITY")) && s.Char(c => c is ']' or ')')),
        (ConstraintTokenKind.Version, s => s.Spaces() && s.ThreePartVersion()),
        (ConstraintTokenKind.Number, s => s.Spaces() && Optional(() => s.Literal("-")) && s.Char(ConstraintCharacters.IsDigit) && s.Many(ConstraintCharacters.IsDigit)
            && Optional(() => s.Literal(".") && s.Many(ConstraintCharacters.IsDigit))),
        (ConstraintTokenKind.Open, s => s.Spaces() && s.Literal("(") && s.Spaces()),
        (ConstraintTokenKind.Close, s => s.Spaces() && s.Literal(")")),
        (ConstraintTokenKind.Name, s => s.Spaces() && s.Char(ConstraintCharacters.IsNameChar) && s.Many(ConstraintCharacters.IsNameChar)),
        (ConstraintTokenKind.Quoted, s => s.Spaces() && s.Literal("\"") && s.Char(ConstraintCharacters.IsQuotedChar) && s.Many(ConstraintCharacters.IsQuotedChar) && s.Literal("\"")),
        (ConstraintTokenKind.QuotedList, s => s.Spaces() && s.Literal("\"") && s.Char(ConstraintCharacters.IsListChar) && s.Many(ConstraintCharacters.IsListChar) && s.Literal("\"")),
        (ConstraintTokenKind.Digit, s => s.Char(ConstraintCharacters.IsDigit)),
    ];

    // AND, OR, && and || need whitespace on both sides.
    private bool Connective(string word, string symbol) =>
        Char(ConstraintCharacters.IsWhitespace) && Spaces() && (Literal(word) || Literal(symbol)) && Char(ConstraintCharacters.IsWhitespace) && Spaces();

    // Three parts of digits; anax's lexer lets each part be empty (".." lexes as a version).
    private bool ThreePartVersion() =>
        Many(ConstraintCharacters.IsDigit) && Literal(".") && Many(ConstraintCharacters.IsDigit) && Literal(".") && Many(ConstraintCharacters.IsDigit);

    private bool Spaces() => Many(ConstraintCharacters.IsWhitespace);

    private bool Char(Func<char, bool> allowed)
    {
        if (_position < text.Length && allowed(text[_position]))
        {
            _kept.Append(text[_position++]);
            return true;
        }

        return false;
    }

    private bool Many(Func<char, bool> allowed)
    {
        while (Char(allowed))
        {
        }

        return true;
    }

    private static bool Repeat(Func<bool> match)
    {
        while (match())
        {
        }

        return true;
    }

    private static bool Optional(Func<bool> match)
    {
        match();
        return true;
    }

    // Like anax's lexer: a literal whose first character differs consumes nothing; one that
    // differs later has consumed (and dropped) the differing character, and nothing is given back.
    private bool Literal(string literal)
    {
        if (_position >= text.Length || text[_position] != literal[0])
        {
            return false;
        }

        foreach (var expected in literal)
        {
            if (_position >= text.Length)
            {
                return false;
            }

            if (text[_position++] != expected)
            {
                return false;
            }

            _kept.Append(expected);
        }

        return true;
    }
}
