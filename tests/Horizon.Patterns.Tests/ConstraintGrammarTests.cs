using Horizon.Patterns.Constraints;

namespace Horizon.Patterns.Tests;

/// <summary>
/// The grammar of Open Horizon's constraint language as its agent (anax) reads it, case by case in our
/// own words: what it accepts (with the structure it evaluates, AND binding tighter than OR), what it
/// refuses (with the column and a reason a user can act on), and where it accepts text that it then
/// evaluates other than it reads, which Horizon evaluates the same way and warns about. The expected
/// outcomes were checked against anax's lexer and evaluator.
/// </summary>
public sealed class ConstraintGrammarTests
{
    [Theory]
    // Spacing around comparison operators is free; = and == are the same.
    [InlineData("site == lab", "site == lab")]
    [InlineData("site=lab", "site = lab")]
    [InlineData("site =lab", "site = lab")]
    [InlineData("site != lab", "site != lab")]
    // AND binds tighter than OR; && and || are the same as AND and OR.
    [InlineData("cores>2 OR cores<1 OR cores>=8 AND cores<=16", "(cores > 2 OR cores < 1 OR (cores >= 8 AND cores <= 16))")]
    [InlineData("tier == gold && zone != east || tier == silver", "((tier == gold AND zone != east) OR tier == silver)")]
    // Parentheses nest, with or without whitespace inside them.
    [InlineData("(a == 1 OR a == 2) AND (b == 3 OR (c == 4 AND d == 5))", "((a == 1 OR a == 2) AND (b == 3 OR (c == 4 AND d == 5)))")]
    [InlineData("( a == 1 ) ", "a == 1")]
    // Versions: a range in brackets or parentheses, INFINITY as the open end, a bare version meaning "at least".
    [InlineData("fw in [1.0.0,2.0.0)", "fw in [1.0.0,2.0.0)")]
    [InlineData("fw in (1.0.0,INFINITY]", "fw in (1.0.0,INFINITY]")]
    [InlineData("fw in 1.2.0", "fw in 1.2.0")]
    [InlineData("fw == 1.2.0", "fw == 1.2.0")]
    [InlineData("fw in [2.0.0,1.0.0)", "fw in [2.0.0,1.0.0)")]
    // Quoted values may hold spaces; a quoted list holds commas and takes "in".
    [InlineData("label == \"two words\"", "label == \"two words\"")]
    [InlineData("zones in \"north, south\"", "zones in \"north, south\"")]
    [InlineData("zones in \"north\"", "zones in \"north\"")]
    // Numbers as Go reads them: negative, decimal, an exponent with a sign, infinity.
    [InlineData("temp >= -5", "temp >= -5")]
    [InlineData("gain < 0.75", "gain < 0.75")]
    [InlineData("load > +1e3", "load > +1e3")]
    [InlineData("load < Inf", "load < Inf")]
    // Names: letters of several scripts, digits after the first character, and _ - / ! ? + ~ ' .
    [InlineData("名前 == 値", "名前 == 値")]
    [InlineData("größe == 5", "größe == 5")]
    [InlineData("a.b/c-d_e!?+~' == v", "a.b/c-d_e!?+~' == v")]
    [InlineData("AND == yes", "AND == yes")]
    // A name starting with "in" is a name, and "namein value" reads as "name in value".
    [InlineData("inRack in \"r1,r2\"", "inRack in \"r1,r2\"")]
    [InlineData("rackin \"r1,r2\"", "rack in \"r1,r2\"")]
    // "!" belongs to names, so without a space "x!=y" compares the property "x!" with y.
    [InlineData("x!=y", "x! = y")]
    public void AcceptedConstraint_HasTheStructureOpenHorizonEvaluates(string text, string structure) =>
        Assert.Equal(structure, ConstraintExpression.Parse(text).Root.ToString());

    [Theory]
    [InlineData("a==1&&b==2", 5, "\"&&\" must have whitespace on both sides (a single \"&\" is not an operator)")]
    [InlineData("a == 1 and b == 2", 8, "expected AND, OR, && or || before \"and\"; they are written in capitals")]
    [InlineData("a == 1 AND", 8, "expected whitespace after \"AND\": AND, OR, && and || need whitespace on both sides")]
    [InlineData("a == 1 AND(b == 2)", 8, "expected whitespace after \"AND\": AND, OR, && and || need whitespace on both sides")]
    [InlineData("(a == 1)AND b == 2", 9, "expected whitespace before \"AND\": AND, OR, && and || need whitespace on both sides")]
    [InlineData("AND a == 1", 1, "expected a property name or \"(\", found \"AND\"; AND and OR go between two comparisons")]
    [InlineData("a == 1 OR OR b == 2", 11, "expected a property name or \"(\", found \"OR\"; AND and OR go between two comparisons")]
    [InlineData("a == 1 && && b == 2", 11, "expected a property name or \"(\", found \"&&\"; AND and OR go between two comparisons")]
    [InlineData("a == 1 (b == 2)", 8, "expected AND, OR, && or || before \"(\": a parenthesis cannot follow a comparison directly")]
    [InlineData("a == truck load", 12, "expected AND, OR, && or || before \"load\" (a value with spaces must be quoted)")]
    [InlineData("(a == 1", 8, "1 \"(\" is not closed")]
    [InlineData("a == 1)", 8, "1 \")\" has no matching \"(\"")]
    [InlineData("site", 5, "expected an operator (==, =, !=, <, >, <=, >=, in) after \"site\"")]
    [InlineData("site lab", 6, "expected an operator (==, =, !=, <, >, <=, >=, in) after \"site\", found \"lab\"")]
    [InlineData("a ! b", 3, "expected an operator (==, =, !=, <, >, <=, >=, in) after \"a\", found \"!\"")]
    [InlineData("site ==", 8, "expected a value after \"==\"")]
    [InlineData("== lab", 1, "expected a property name or \"(\", found \"==\"")]
    [InlineData("\"site\" == lab", 1, "expected a property name or \"(\", found \"\"site\"\"")]
    [InlineData("a == \"http://x\"", 6, "a quoted value holds only letters, digits, spaces and _ - / ! ? + ~ ' . (commas in a list), and cannot be empty")]
    [InlineData("a == \"\"", 6, "a quoted value holds only letters, digits, spaces and _ - / ! ? + ~ ' . (commas in a list), and cannot be empty")]
    [InlineData("a:b == 1", 2, "':' is not allowed here; names and unquoted values hold letters, digits and _ - / ! ? + ~ ' .")]
    [InlineData("Ωmega == 1", 1, "'Ω' is not allowed here; names and unquoted values hold letters, digits and _ - / ! ? + ~ ' .")]
    // What anax checks of an operator and its value: ranges and lists take "in", <, > and friends take numbers.
    [InlineData("fw == [1.0.0,2.0.0)", 7, "a version range ([1.0.0,2.0.0)) takes the operator \"in\", not \"==\"")]
    [InlineData("zones == \"north,south\"", 10, "a quoted list (\"north,south\") takes the operator \"in\", not \"==\", which compares one value")]
    [InlineData("zones != \"north,south\"", 10, "a quoted list (\"north,south\") takes the operator \"in\", not \"!=\", which compares one value")]
    [InlineData("fw > 1.0.0", 6, "\">\" compares numbers, and 1.0.0 is not a number")]
    [InlineData("cores >= \"4\"", 10, "\">=\" compares numbers, and \"4\" is not a number")]
    [InlineData("cores in 1,2,3", 10, "\"in\" takes a quoted list (\"a,b\"), a version or a version range, not 1")]
    [InlineData("zones in north", 10, "\"in\" takes a quoted list (\"a,b\"), a version or a version range, not north")]
    [InlineData("zones in \"a\",\"b\"", 13, "a list is written as one quoted string, like \"a,b\"")]
    [InlineData("fw in [1.0.0, 2.0.0)", 7, "[1.0.0, 2.0.0) is not a version range: a version range may not contain whitespace")]
    [InlineData("fw in [1.0,2.0)", 7, "a version range holds two three-part versions, like [1.0.0,2.0.0)")]
    // Lexing is greedy and never backs up: "5g" is the number 5 followed by g, "initial" cannot be read at all.
    [InlineData("region == 5g", 12, "\"g\" follows the value without a space: quote a value that mixes digits and letters (\"5g\") or has more than three version parts")]
    [InlineData("fw == 1.0.0.1", 12, "\".1\" follows the value without a space: quote a value that mixes digits and letters (\"5g\") or has more than three version parts")]
    [InlineData("initial == 5", 1, "Open Horizon's lexer cannot read a name that starts with \"ini\" (\"initial\"); rename the property")]
    [InlineData("init == 5", 1, "expected a property name or \"(\", found \"in\"; Open Horizon's lexer reads a name starting with \"ini\" as the operator \"in\", so rename the property")]
    public void RefusedConstraint_SaysWhereAndWhy(string text, int column, string reason)
    {
        var ex = Assert.Throws<ConstraintSyntaxException>(() => ConstraintExpression.Parse(text));

        Assert.Equal((column, reason), (ex.Column, ex.Reason));
        Assert.Equal($"column {column}: {reason}", ex.Message);
    }

    [Theory]
    [InlineData("gauge => 5", "\"gauge => 5\": Open Horizon accepts \"=>\" but compares numbers with it as == and never matches text or booleans with it, here too; write >= or <= if that is what you mean")]
    [InlineData(" site == lab", "\"site == lab\": Open Horizon keeps the whitespace before the first name as part of the name, so it matches no property, here too; remove it")]
    [InlineData("hello in \"'a b', 'c'\"", "\"hello in \"'a b', 'c'\"\": single quotes are compared as part of the values (in Open Horizon too), so 'a' matches only a value written with the quotes")]
    [InlineData("site!= lab", "\"site! = lab\": Open Horizon reads \"site!=\" as the property \"site!\" compared with =, here too; put a space before != if you meant \"not equal\"")]
    [InlineData(") a == 1 (", "Open Horizon evaluates this constraint only up to the unmatched \")\"; the rest (\"a == 1 (\") is ignored, here too")]
    public void AcceptedConstraint_ThatOpenHorizonEvaluatesOddly_CarriesAWarning(string text, string warning) =>
        Assert.Equal([warning], ConstraintExpression.Parse(text).Warnings);

    [Fact]
    public void PlainConstraint_HasNoWarnings() =>
        Assert.Empty(ConstraintExpression.Parse("openhorizon.memory >= 1024 AND (purpose == edge || purpose == lab)").Warnings);

    [Fact]
    public void SyntaxError_Caret_PointsUnderTheColumn()
    {
        var ex = Assert.Throws<ConstraintSyntaxException>(() => ConstraintExpression.Parse("cpu >"));

        Assert.Equal("cpu >" + Environment.NewLine + "     ^", ex.Caret);
    }

    [Fact]
    public void ConstraintSet_ReportsEveryBadEntryByIndex_AndSkipsBlankOnes()
    {
        var ex = Assert.Throws<Horizon.Patterns.Validation.ModelFormatException>(() => ConstraintSet.Parse(["a == 1", "b ==", "", "(c"]));

        Assert.Equal(["constraints[1]: column 5: expected a value after \"==\"", "constraints[3]: column 3: expected an operator (==, =, !=, <, >, <=, >=, in) after \"c\""],
            ex.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void ConstraintSet_CollectsWarningsWithTheirIndex() =>
        Assert.Equal(["constraints[1]: \"n => 1\": Open Horizon accepts \"=>\" but compares numbers with it as == and never matches text or booleans with it, here too; write >= or <= if that is what you mean"],
            ConstraintSet.Parse(["a == 1", "n => 1"]).Warnings);
}
