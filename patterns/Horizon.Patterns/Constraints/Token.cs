namespace Horizon.Patterns.Constraints;

/// <summary>A lexeme with its 0-based start offset in the expression.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Start, ComparisonOperator Operator = ComparisonOperator.Equal);
