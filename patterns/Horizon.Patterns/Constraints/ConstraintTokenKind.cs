namespace Horizon.Patterns.Constraints;

/// <summary>
/// The lexemes of Open Horizon's constraint language, in the order anax's lexer tries them at each
/// position: the first kind that matches wins, even where a later one would match more.
/// </summary>
internal enum ConstraintTokenKind
{
    /// <summary>No more input.</summary>
    End,

    /// <summary>A name starting with one or more <c>in</c> (<c>inVersion</c>); tried before the <c>in</c> operator.</summary>
    NameStartingIn,

    /// <summary><c>AND</c> or <c>&amp;&amp;</c>, with whitespace on both sides.</summary>
    And,

    /// <summary><c>OR</c> or <c>||</c>, with whitespace on both sides.</summary>
    Or,

    /// <summary><c>&lt; &gt; &lt;= &gt;=</c> and the forms with a leading <c>=</c> (<c>=&gt;</c>, <c>=&lt;</c>, ...).</summary>
    Compare,

    /// <summary><c>in</c>.</summary>
    In,

    /// <summary><c>==</c>, <c>=</c> or <c>!=</c>.</summary>
    Equal,

    /// <summary><c>[1.0.0,2.0.0)</c>: brackets or parentheses around two three-part versions (or <c>INFINITY</c>).</summary>
    VersionRange,

    /// <summary>A three-part version, <c>1.2.3</c>.</summary>
    Version,

    /// <summary><c>-12.5</c>.</summary>
    Number,

    /// <summary><c>(</c>.</summary>
    Open,

    /// <summary><c>)</c>.</summary>
    Close,

    /// <summary>A bare word: a property name or an unquoted value.</summary>
    Name,

    /// <summary>A double-quoted value without commas.</summary>
    Quoted,

    /// <summary>A double-quoted, comma-separated list.</summary>
    QuotedList,

    /// <summary>A lone digit anax's grammar declares but never reaches.</summary>
    Digit,
}
