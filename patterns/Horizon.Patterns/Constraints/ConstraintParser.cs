namespace Horizon.Patterns.Constraints;

/// <summary>
/// Recursive-descent parser for Open Horizon's constraint grammar:
/// <code>
/// expr       := and (("OR" | "||") and)*
/// and        := primary (("AND" | "&amp;&amp;") primary)*
/// primary    := "(" expr ")" | comparison
/// comparison := NAME ("==" | "=" | "!=" | "&lt;" | "&gt;" | "&lt;=" | "&gt;=" | "in") VALUE
/// </code>
/// AND binds tighter than OR.
/// </summary>
internal sealed class ConstraintParser
{
    private readonly string text;
    private readonly ConstraintLexer lexer;

    private ConstraintParser(string text)
    {
        this.text = text;
        lexer = new ConstraintLexer(text);
    }

    public static ConstraintNode Parse(string text)
    {
        var parser = new ConstraintParser(text);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw parser.lexer.Error(0, "the constraint is empty");
        }

        var root = parser.ParseOr();
        var next = parser.lexer.Next();
        if (next.Kind == TokenKind.End)
        {
            return root;
        }

        throw next.Kind == TokenKind.CloseParen
            ? parser.lexer.Error(next.Start, "\")\" has no matching \"(\"")
            : parser.lexer.Error(next.Start, $"expected AND or OR before \"{next.Text}\"");
    }

    private ConstraintNode ParseOr()
    {
        var left = ParseAnd();
        while (lexer.Peek().Kind == TokenKind.Or)
        {
            lexer.Next();
            left = new OrConstraint(left, ParseAnd());
        }

        return left;
    }

    private ConstraintNode ParseAnd()
    {
        var left = ParsePrimary();
        while (lexer.Peek().Kind == TokenKind.And)
        {
            lexer.Next();
            left = new AndConstraint(left, ParsePrimary());
        }

        return left;
    }

    private ConstraintNode ParsePrimary()
    {
        var token = lexer.Next();
        switch (token.Kind)
        {
            case TokenKind.OpenParen:
                var inner = ParseOr();
                var close = lexer.Next();
                if (close.Kind != TokenKind.CloseParen)
                {
                    throw lexer.Error(
                        close.Kind == TokenKind.End ? text.Length : close.Start,
                        $"expected \")\" to close the \"(\" at column {token.Start + 1}");
                }

                return inner;
            case TokenKind.Name:
                var op = lexer.Next();
                if (op.Kind != TokenKind.Operator)
                {
                    throw lexer.Error(
                        op.Kind == TokenKind.End ? text.Length : op.Start,
                        $"expected an operator (==, !=, <, >, <=, >=, in) after \"{token.Text}\"");
                }

                var operand = lexer.ReadOperand(op);
                var end = lexer.Peek().Start;
                var source = text[token.Start..end].TrimEnd();
                return new Comparison(token.Text, op.Operator, op.Text, operand, token.Start + 1, source);
            case TokenKind.End:
                throw lexer.Error(text.Length, "expected a property name or \"(\" at the end of the constraint");
            default:
                throw lexer.Error(token.Start, $"expected a property name or \"(\", found \"{token.Text}\"");
        }
    }
}
