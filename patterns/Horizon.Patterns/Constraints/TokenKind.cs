namespace Horizon.Patterns.Constraints;

internal enum TokenKind
{
    End,
    Name,
    Operator,
    And,
    Or,
    OpenParen,
    CloseParen,
}
