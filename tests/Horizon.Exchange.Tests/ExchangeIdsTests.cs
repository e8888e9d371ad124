using Horizon.Exchange.Client;
using Xunit;

namespace Horizon.Exchange.Tests;

/// <summary>The one id rule, as a table: what passes, what is refused and which rule the error names.</summary>
public sealed class ExchangeIdsTests
{
    [Theory]
    [InlineData("node1")]
    [InlineData("a")]
    [InlineData("9")]
    [InlineData("hello_1.0.0_amd64")]
    [InlineData("example.com-hello_1.0.0_amd64")]
    [InlineData("Org-With_Mixed.Case")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Valid_Ids_Pass(string id) => Assert.Null(ExchangeIds.Check("id", id));

    [Theory]
    [InlineData("", ExchangeIds.LengthRule)]
    [InlineData(".", ExchangeIds.StartRule)]
    [InlineData("..", ExchangeIds.StartRule)]
    [InlineData("a..b", ExchangeIds.DotsRule)]
    [InlineData("-n", ExchangeIds.StartRule)]
    [InlineData("_x", ExchangeIds.StartRule)]
    [InlineData(".hidden", ExchangeIds.StartRule)]
    [InlineData("node1\u200b", ExchangeIds.CharsetRule)]
    [InlineData("evil\u202egnp.exe", ExchangeIds.CharsetRule)]
    [InlineData("nоde1", ExchangeIds.CharsetRule)] // Cyrillic о
    [InlineData("node\u0000", ExchangeIds.CharsetRule)]
    [InlineData("tab\there", ExchangeIds.CharsetRule)]
    [InlineData("sp ace", ExchangeIds.CharsetRule)]
    [InlineData("a/b", ExchangeIds.CharsetRule)]
    [InlineData("a%2e", ExchangeIds.CharsetRule)]
    [InlineData("a\\b", ExchangeIds.CharsetRule)]
    [InlineData("a:b", ExchangeIds.CharsetRule)]
    [InlineData("*", ExchangeIds.CharsetRule)]
    [InlineData("🙂", ExchangeIds.CharsetRule)]
    public void Invalid_Ids_AreRefused_NamingTheRule(string id, string rule)
    {
        var error = ExchangeIds.Check("node id", id);
        Assert.NotNull(error);
        Assert.Contains($"(rule {rule})", error, StringComparison.Ordinal);
        Assert.StartsWith("node id \"", error, StringComparison.Ordinal);
        // The message never carries the refused characters themselves.
        Assert.All(error, c => Assert.True(c is >= ' ' and <= '~' or '…', $"U+{(int)c:X4} in \"{error}\""));
    }

    [Fact]
    public void Ids_LongerThanTheLimit_AreRefused()
    {
        Assert.Null(ExchangeIds.Check("id", new string('a', ExchangeIds.MaxLength)));
        Assert.Contains(ExchangeIds.LengthRule, ExchangeIds.Check("id", new string('a', ExchangeIds.MaxLength + 1)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("IBM/policy-x", "IBM", "policy-x")]
    [InlineData("org1/pat", "org1", "pat")]
    public void QualifiedIds_SplitIntoOrgAndName(string text, string org, string name)
    {
        Assert.Equal((org, name), ExchangeIds.ParseQualified("pattern", text, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("IBM/a/b")]
    [InlineData("/pat")]
    [InlineData("org/")]
    [InlineData("org/..")]
    public void QualifiedIds_WithABadHalf_AreRefused(string text)
    {
        Assert.Null(ExchangeIds.ParseQualified("pattern", text, out var error));
        Assert.NotNull(error);
    }

    [Theory]
    [InlineData("https://example.com/hello", "1.0.0", "amd64", "example.com-hello_1.0.0_amd64")]
    [InlineData("hello", "2.1.0", "arm64", "hello_2.1.0_arm64")]
    [InlineData("example.com:8080/a/b", "1", "amd64", "example.com-8080-a-b_1_amd64")]
    public void ServiceIds_FollowOpenHorizon(string url, string version, string arch, string id) =>
        Assert.Equal(id, ExchangeIds.ServiceId(url, version, arch));
}
