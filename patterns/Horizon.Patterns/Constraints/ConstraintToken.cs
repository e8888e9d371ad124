namespace Horizon.Patterns.Constraints;

/// <summary>
/// A lexeme as anax's lexer produces it. <see cref="Value"/> is what the lexer kept, surrounding
/// whitespace included; <see cref="Length"/> is how much input it consumed, which differs from
/// <c>Value.Length</c> only where anax's lexer drops a character it read while backing out of
/// a failed <c>in</c> (<c>initial</c> reads as <c>iniial</c>).
/// </summary>
internal readonly record struct ConstraintToken(ConstraintTokenKind Kind, string Value, int Length)
{
    public bool IsName => Kind is ConstraintTokenKind.Name or ConstraintTokenKind.NameStartingIn;

    public bool IsValue => Kind is ConstraintTokenKind.Name or ConstraintTokenKind.NameStartingIn or ConstraintTokenKind.Quoted
        or ConstraintTokenKind.QuotedList or ConstraintTokenKind.Version or ConstraintTokenKind.VersionRange or ConstraintTokenKind.Number;

    public bool IsOperator => Kind is ConstraintTokenKind.Equal or ConstraintTokenKind.Compare or ConstraintTokenKind.In;
}
