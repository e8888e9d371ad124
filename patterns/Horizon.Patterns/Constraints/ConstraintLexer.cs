using System.Text;
using Horizon.Patterns.Versions;

namespace Horizon.Patterns.Constraints;

/// <summary>
/// Splits a constraint expression into tokens. Values after an operator are read separately
/// (<see cref="ReadOperand"/>) because their syntax — quoted lists, bare comma lists, version ranges
/// with brackets and parentheses — differs from the rest of the grammar.
/// </summary>
internal sealed class ConstraintLexer(string text)
{
    private int position;
    private Token? peeked;

    public Token Peek() => peeked ??= Read();

    public Token Next()
    {
        var token = Peek();
        peeked = null;
        return token;
    }

    public ConstraintSyntaxException Error(int offset, string reason) => new(text, offset + 1, reason);

    public ConstraintOperand ReadOperand(Token op)
    {
        SkipSpace();
        if (position >= text.Length || text[position] == ')' || IsLogical(position))
        {
            throw Error(position, $"expected a value after \"{op.Text}\"");
        }

        var start = position;
        var c = text[position];
        if (c is '[' or '(')
        {
            var close = text.IndexOfAny([']', ')'], position + 1);
            if (close < 0)
            {
                throw Error(start, "a version range must end with \"]\" or \")\"");
            }

            var raw = text[start..(close + 1)];
            if (!VersionRange.TryParse(raw, out var range, out var error))
            {
                throw Error(start, error);
            }

            position = close + 1;
            return new ConstraintOperand(raw, false, [raw], range);
        }

        if (c == '"')
        {
            var strings = new List<string> { ReadQuoted() };
            while (true)
            {
                var save = position;
                SkipSpace();
                if (position < text.Length && text[position] == ',')
                {
                    position++;
                    SkipSpace();
                    if (position >= text.Length || text[position] != '"')
                    {
                        throw Error(position, "expected a quoted string after \",\"");
                    }

                    strings.Add(ReadQuoted());
                    continue;
                }

                position = save;
                break;
            }

            var items = strings.Count == 1 ? SplitList(strings[0]) : strings.Select(s => s.Trim()).ToArray();
            return new ConstraintOperand(string.Join(',', strings), true, items, null);
        }

        while (position < text.Length && !char.IsWhiteSpace(text[position]) && text[position] != ')' && !IsLogical(position))
        {
            position++;
        }

        var bare = text[start..position];
        return new ConstraintOperand(bare, false, SplitList(bare), null);
    }

    private Token Read()
    {
        SkipSpace();
        if (position >= text.Length)
        {
            return new Token(TokenKind.End, "", position);
        }

        var start = position;
        var c = text[position];
        switch (c)
        {
            case '(':
                position++;
                return new Token(TokenKind.OpenParen, "(", start);
            case ')':
                position++;
                return new Token(TokenKind.CloseParen, ")", start);
            case '&' or '|':
                if (position + 1 < text.Length && text[position + 1] == c)
                {
                    position += 2;
                    return new Token(c == '&' ? TokenKind.And : TokenKind.Or, new string(c, 2), start);
                }

                throw Error(start, $"expected \"{new string(c, 2)}\"");
            case '=':
                position += position + 1 < text.Length && text[position + 1] == '=' ? 2 : 1;
                return new Token(TokenKind.Operator, text[start..position], start, ComparisonOperator.Equal);
            case '!':
                if (position + 1 < text.Length && text[position + 1] == '=')
                {
                    position += 2;
                    return new Token(TokenKind.Operator, "!=", start, ComparisonOperator.NotEqual);
                }

                throw Error(start, "expected \"!=\"");
            case '<' or '>':
                var orEqual = position + 1 < text.Length && text[position + 1] == '=';
                position += orEqual ? 2 : 1;
                var op = (c, orEqual) switch
                {
                    ('<', false) => ComparisonOperator.Less,
                    ('<', true) => ComparisonOperator.LessOrEqual,
                    ('>', false) => ComparisonOperator.Greater,
                    _ => ComparisonOperator.GreaterOrEqual,
                };
                return new Token(TokenKind.Operator, text[start..position], start, op);
            case '"':
                throw Error(start, "expected a property name, found a quoted string");
        }

        if (!IsNameChar(c))
        {
            throw Error(start, $"unexpected character '{c}'");
        }

        while (position < text.Length && IsNameChar(text[position]))
        {
            position++;
        }

        var word = text[start..position];
        if (word.Equals("AND", StringComparison.OrdinalIgnoreCase))
        {
            return new Token(TokenKind.And, word, start);
        }

        if (word.Equals("OR", StringComparison.OrdinalIgnoreCase))
        {
            return new Token(TokenKind.Or, word, start);
        }

        return word.Equals("in", StringComparison.OrdinalIgnoreCase)
            ? new Token(TokenKind.Operator, word, start, ComparisonOperator.In)
            : new Token(TokenKind.Name, word, start);
    }

    private string ReadQuoted()
    {
        var start = position;
        position++;
        var value = new StringBuilder();
        while (position < text.Length)
        {
            var c = text[position++];
            if (c == '"')
            {
                return value.ToString();
            }

            if (c == '\\' && position < text.Length)
            {
                c = text[position++];
            }

            value.Append(c);
        }

        throw Error(start, "the quoted string is not closed");
    }

    private static string[] SplitList(string value) =>
        value.Split(',').Select(item => item.Trim().Trim('\'').Trim()).ToArray();

    private bool IsLogical(int at) =>
        at + 1 < text.Length && (text[at] == '&' || text[at] == '|') && text[at + 1] == text[at];

    private static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '.' or '-' or '/' or ':';

    private void SkipSpace()
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }
    }
}
