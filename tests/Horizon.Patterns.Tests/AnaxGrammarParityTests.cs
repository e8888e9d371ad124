using Horizon.Patterns.Constraints;

namespace Horizon.Patterns.Tests;

/// <summary>
/// Issue 21: parity with the cases anax's own grammar tests (<c>externalpolicy/text_language</c>) hold
/// it to, rewritten with our names and values: each feature it must accept (types, spacing, scripts,
/// the odd operators <c>=&gt;</c> and <c>=&lt;</c>, names that start with "in") and each it must refuse
/// (a list or a multi-word value with ==, numeric comparison of text, an unknown joining word, an
/// unclosed parenthesis). A constraint list passes when every entry parses.
/// </summary>
public sealed class AnaxGrammarParityTests
{
    public static TheoryData<string, string[]> Accepted => new()
    {
        { "booleans, integers and AND/OR symbols", ["edge == true && cores == 3 || ram <= 32", "edge == \"true\"", "greeting == \"world\""] },
        { "a quoted list with single-quoted words", ["tags in \"'big barn', 'silo'\""] },
        { "a quoted value with a space, and a list", ["cargo == \"hay bales\" AND labels in \"Fair, Local\""] },
        { "versions and an open version range", ["fw == 2.3.4 OR certified == true", "fw in [2.3.4,INFINITY) OR label == FAIR"] },
        { "hiragana and katakana", ["えきのなまえ == カタカナ"] },
        { "CJK ideographs, with digits", ["城市 == 北京", "號碼 == 漢123"] },
        { "Latin-1 letters, and a single =", ["estación_de_autobús = Cancún"] },
        { "Hangul, no space before ==", ["역이름== 부산시"] },
        { "fullwidth forms and currency signs", ["カタカナ==ＡＢＣ€¥～＊＠＇漢ｱｲ"] },
        { "a quoted value in several scripts with apostrophes and periods", ["note==\"prüfen d'accord año 한국어 문장. 中文 にほんご\""] },
        { "no whitespace around comparisons", ["fw==2.3.4 AND certified == true", "n>1 OR n<1 OR n>=0 AND n<=0 OR flag==true OR flag=false", "fw=2.3.4 AND abc!=xyz"] },
        { "whitespace on one side only", ["n> 1 OR n <1 OR n >=0 AND n<= 0 OR flag ==true OR flag= false", "fw =2.3.4 AND abc !=123"] },
        { "nested parentheses", ["(n> 1 OR n <1 OR n >=0) AND (n<= 0 OR (flag ==true OR flag= false))"] },
        { "=> and =< (accepted, warned)", ["n> 1 OR n <1 OR n >=0 AND n<= 0", "count => 5 OR count =< 22 OR count==10.32 OR count =6"] },
        { "whitespace inside and around parentheses", ["(n> 1 OR n <1 OR n >=0) AND  ( n<= 0 OR (  flag ==true OR flag= false  ) )", " (fw =2.3.4 AND abc !=123) "] },
        { "names and values that start with \"in\"", ["cpu < 4 && intCount >= 3 || ininintName == \"ininint\" && inRange in [0.0.0,1.4.3]"] },
        { "a long chain of every form", ["edge == true && edge == \"true\" && cores == 3 || ram <= 32 AND greeting == \"world\" && tags in \"'big barn', 'silo'\" AND cargo == \"hay bales\" AND labels in \"Fair, Local\" AND fw == 2.3.4 OR certified == true AND fw in [2.3.4,INFINITY) OR label == FAIR"] },
    };

    public static TheoryData<string, string> Refused => new()
    {
        { "cargo == \"hay bales\" || labels == \"Fair, Local\"", "takes the operator \"in\"" },
        { "tags == \"'big barn', 'silo'\"", "takes the operator \"in\"" },
        { "edge < true && cores == 3 || ram <= 32", "compares numbers" },
        { "greeting > world", "compares numbers" },
        { "cargo == hay bales && label == FAIR", "a value with spaces must be quoted" },
        { "fw == 2.3.4 xyz certified == true", "expected AND, OR, && or ||" },
        { "(fw == 2.3.4 && certified == true", "is not closed" },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void ConstraintsAnaxAccepts_AreAccepted(string feature, string[] constraints)
    {
        var errors = constraints.Select(c => (Constraint: c, Error: Error(c))).Where(e => e.Error is not null).ToList();

        Assert.True(errors.Count == 0, $"{feature}: " + string.Join("; ", errors.Select(e => $"\"{e.Constraint}\": {e.Error}")));
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void ConstraintsAnaxRefuses_AreRefused_SayingWhy(string constraint, string reason)
    {
        var ex = Assert.Throws<ConstraintSyntaxException>(() => ConstraintExpression.Parse(constraint));

        Assert.Contains(reason, ex.Reason, StringComparison.Ordinal);
    }

    private static string? Error(string constraint)
    {
        try
        {
            ConstraintExpression.Parse(constraint);
            return null;
        }
        catch (ConstraintSyntaxException e)
        {
            return e.Message;
        }
    }
}
