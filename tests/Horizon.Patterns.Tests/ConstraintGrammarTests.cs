using Horizon.Patterns.Constraints;

namespace Horizon.Patterns.Tests;

public sealed class ConstraintGrammarTests
{
    [Theory]
    [InlineData("openhorizon.arch == amd64", "openhorizon.arch == amd64")]
    [InlineData("a = b", "a = b")]
    [InlineData("a==b&&c!=d", "(a==b AND c!=d)")]
    [InlineData("a == 1 || b == 2 && c == 3", "(a == 1 OR (b == 2 AND c == 3))")]
    [InlineData("(a == 1 || b == 2) && c == 3", "((a == 1 OR b == 2) AND c == 3)")]
    [InlineData("a == 1 AND b == 2 OR c == 3", "((a == 1 AND b == 2) OR c == 3)")]
    [InlineData("a == 1 and b == 2 or c == 3", "((a == 1 AND b == 2) OR c == 3)")]
    [InlineData("((a < 1))", "a < 1")]
    [InlineData("memory >= 1024 AND cpu > 2 AND load <= 0.5", "((memory >= 1024 AND cpu > 2) AND load <= 0.5)")]
    [InlineData("version in [1.0.0,2.0.0)", "version in [1.0.0,2.0.0)")]
    [InlineData("version in (1.0.0,INFINITY)", "version in (1.0.0,INFINITY)")]
    [InlineData("purpose in \"lab,edge\"", "purpose in \"lab,edge\"")]
    [InlineData("name == \"truck load\"", "name == \"truck load\"")]
    [InlineData("name == \"say \\\"hi\\\"\"", "name == \"say \\\"hi\\\"\"")]
    public void ValidExpression_ParsesWithAndBindingTighterThanOr(string text, string shape) =>
        Assert.Equal(shape, ConstraintExpression.Parse(text).Root.ToString());

    [Theory]
    [InlineData("", 1, "the constraint is empty")]
    [InlineData("   ", 1, "the constraint is empty")]
    [InlineData("openhorizon.arch", 17, "expected an operator (==, !=, <, >, <=, >=, in) after \"openhorizon.arch\"")]
    [InlineData("openhorizon.arch amd64", 18, "expected an operator (==, !=, <, >, <=, >=, in) after \"openhorizon.arch\"")]
    [InlineData("openhorizon.arch ==", 20, "expected a value after \"==\"")]
    [InlineData("a == 1 AND", 11, "expected a property name or \"(\" at the end of the constraint")]
    [InlineData("a == 1 && && b == 2", 11, "expected a property name or \"(\", found \"&&\"")]
    [InlineData("a == 1 b == 2", 8, "expected AND or OR before \"b\"")]
    [InlineData("(a == 1", 8, "expected \")\" to close the \"(\" at column 1")]
    [InlineData("a == 1)", 7, "\")\" has no matching \"(\"")]
    [InlineData("a ! b", 3, "expected \"!=\"")]
    [InlineData("a == 1 & b == 2", 8, "expected \"&&\"")]
    [InlineData("a == 1 | b == 2", 8, "expected \"||\"")]
    [InlineData("a == \"open", 6, "the quoted string is not closed")]
    [InlineData("v in [1.0.0,2.0.0", 6, "a version range must end with \"]\" or \")\"")]
    [InlineData("v in [1.x,2.0.0)", 6, "\"[1.x,2.0.0)\" is not a version range: \"1.x\" is not a version")]
    [InlineData("\"a\" == b", 1, "expected a property name, found a quoted string")]
    [InlineData("a == b AND $c == d", 12, "unexpected character '$'")]
    [InlineData("a in \"x\", y", 11, "expected a quoted string after \",\"")]
    [InlineData("a == ()", 6, "\"()\" is not a version range: expected two versions separated by a comma")]
    public void InvalidExpression_ReportsTheColumn(string text, int column, string reason)
    {
        var ex = Assert.Throws<ConstraintSyntaxException>(() => ConstraintExpression.Parse(text));

        Assert.Equal((column, reason), (ex.Column, ex.Reason));
        Assert.Equal($"column {column}: {reason}", ex.Message);
    }

    [Fact]
    public void SyntaxError_Caret_PointsUnderTheColumn()
    {
        var ex = Assert.Throws<ConstraintSyntaxException>(() => ConstraintExpression.Parse("cpu >"));

        Assert.Equal("cpu >" + Environment.NewLine + "     ^", ex.Caret);
    }

    [Fact]
    public void ConstraintSet_ReportsEveryBadEntryByIndex()
    {
        var ex = Assert.Throws<Horizon.Patterns.Validation.ModelFormatException>(() => ConstraintSet.Parse(["a == 1", "b ==", "", "(c"]));

        Assert.Equal(["constraints[1]: column 5: expected a value after \"==\"", "constraints[3]: column 3: expected an operator (==, !=, <, >, <=, >=, in) after \"c\""],
            ex.Errors.Select(e => e.ToString()));
    }
}
