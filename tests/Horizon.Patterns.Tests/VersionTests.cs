using Horizon.Patterns.Versions;

namespace Horizon.Patterns.Tests;

public sealed class VersionTests
{
    [Theory]
    [InlineData("1", "1.0.0")]
    [InlineData("1.2", "1.2.0")]
    [InlineData("1.2.3", "1.2.3")]
    [InlineData("10.20.30", "10.20.30")]
    [InlineData("0.0.0", "0.0.0")]
    public void Version_Parses(string text, string canonical) => Assert.Equal(canonical, ServiceVersion.Parse(text).ToString());

    [Theory]
    [InlineData("")]
    [InlineData("1.x")]
    [InlineData("1.2.3.4")]
    [InlineData("v1.0")]
    [InlineData("1..2")]
    [InlineData("-1.0")]
    [InlineData("1.0.0-beta")]
    [InlineData(" 1.0")]
    [InlineData("99999999999")]
    public void Version_Rejects(string text)
    {
        var ex = Assert.Throws<FormatException>(() => ServiceVersion.Parse(text));
        Assert.Equal($"\"{text}\" is not a version", ex.Message);
    }

    [Theory]
    [InlineData("1.2", "1.2.0", 0)]
    [InlineData("1.10.0", "1.9.9", 1)]
    [InlineData("2", "10", -1)]
    public void Versions_CompareNumerically(string a, string b, int sign) =>
        Assert.Equal(sign, Math.Sign(ServiceVersion.Parse(a).CompareTo(ServiceVersion.Parse(b))));

    [Theory]
    [InlineData("[1.0.0,2.0.0)", "1.0.0", true)]
    [InlineData("[1.0.0,2.0.0)", "1.9.9", true)]
    [InlineData("[1.0.0,2.0.0)", "2.0.0", false)]
    [InlineData("[1.0.0,2.0.0)", "0.9.9", false)]
    [InlineData("(1.0.0,2.0.0]", "1.0.0", false)]
    [InlineData("(1.0.0,2.0.0]", "2.0.0", true)]
    [InlineData("1.2.0", "1.2.0", true)]
    [InlineData("1.2.0", "99.0.0", true)]
    [InlineData("1.2.0", "1.1.9", false)]
    [InlineData("[1.0.0,INFINITY)", "500.0.0", true)]
    [InlineData("[1.0.0, INFINITY)", "1.0.0", true)]
    [InlineData("[1.5,1.5]", "1.5.0", true)]
    [InlineData(" [1,2) ", "1.5", true)]
    public void Range_Contains(string range, string version, bool expected) =>
        Assert.Equal(expected, VersionRange.Parse(range).Contains(ServiceVersion.Parse(version)));

    [Theory]
    [InlineData("", "\"\" is not a version range")]
    [InlineData("[1.0.0,2.0.0", "\"[1.0.0,2.0.0\" is not a version range: it must end with \"]\" or \")\"")]
    [InlineData("[1.0.0]", "\"[1.0.0]\" is not a version range: expected two versions separated by a comma")]
    [InlineData("[1.x,2.0.0)", "\"[1.x,2.0.0)\" is not a version range: \"1.x\" is not a version")]
    [InlineData("[1.0.0,two)", "\"[1.0.0,two)\" is not a version range: \"two\" is not a version")]
    [InlineData("[2.0.0,1.0.0)", "\"[2.0.0,1.0.0)\" is an empty version range")]
    [InlineData("[1.0.0,1.0.0)", "\"[1.0.0,1.0.0)\" is an empty version range")]
    [InlineData("latest", "\"latest\" is not a version or version range")]
    public void Range_Rejects(string range, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => VersionRange.Parse(range)).Message);

    [Fact]
    public void Range_PrintsCanonically() => Assert.Equal("[1.2.0,INFINITY)", VersionRange.Parse("1.2").ToString());
}
