using System.Net;
using Horizon.Exchange.Client;
using Horizon.Exchange.Tests.Support;
using Xunit;

namespace Horizon.Exchange.Tests;

/// <summary>
/// Issue 19, defect 4: every id follows one rule, checked on the path as sent, before routing.
/// <c>DELETE …/agbots/agbot1/patterns/..</c> used to delete the agbot itself.
/// </summary>
public sealed class IdRuleTests(SqliteExchangeFixture fixture) : IClassFixture<SqliteExchangeFixture>
{
    [Theory]
    [InlineData("..")]
    [InlineData("%2e%2e")]
    [InlineData("%2E.")]
    [InlineData(".")]
    [InlineData("%2e")]
    public async Task DotSegment_AfterAServedPatternPath_Is400_AndTheAgbotSurvives(string dots)
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        var (status, body) = await RawHttp.SendAsync(fixture.Server.BaseUrl,
            $"DELETE /v1/orgs/{tenant.Org}/agbots/agbot1/patterns/{dots} HTTP/1.1\r\nHost: x\r\n{RawHttp.Authorization(tenant.Org, "admin", Tenant.Password)}\r\nContent-Length: 0");

        Assert.Equal(400, status);
        Assert.Contains("rule path-dot-segment", body, StringComparison.Ordinal);
        Assert.Equal("a1", (await tenant.Admin.GetAgbotAsync(tenant.Org, "agbot1")).Name);
    }

    public static TheoryData<string, string> BadIds => new()
    {
        { "node1\u200b", ExchangeIds.CharsetRule },   // zero-width space: looks like node1
        { "\u202Eevil", ExchangeIds.CharsetRule },    // right-to-left override
        { "n\u043Ede1", ExchangeIds.CharsetRule },    // Cyrillic o: confusable
        { "node\U0001F600", ExchangeIds.CharsetRule },
        { "bell\a", ExchangeIds.CharsetRule },
        { "bad/id", ExchangeIds.CharsetRule },
        { "bad:id", ExchangeIds.CharsetRule },
        { "bad id", ExchangeIds.CharsetRule },
        { "-leading", ExchangeIds.StartRule },
        { "a..b", ExchangeIds.DotsRule },
        { new string('n', ExchangeIds.MaxLength + 1), ExchangeIds.LengthRule },
    };

    [Theory]
    [MemberData(nameof(BadIds))]
    public async Task BadNodeId_Is400NamingTheRule_AndNothingIsWritten(string id, string rule)
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        using var response = await tenant.SendAsync(HttpMethod.Put, $"orgs/{tenant.Org}/nodes/{Uri.EscapeDataString(id)}", """{"token":"t-1"}""", "user");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"rule {rule}", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var (nodes, _) = await tenant.Admin.ListNodesAsync(tenant.Org, null, 100);
        Assert.Equal("node1", Assert.Single(nodes).Id);
    }

    [Fact]
    public async Task NulInAnId_IsRefusedBeforeAnyHandler()
    {
        // Kestrel itself refuses a decoded NUL in the path (400, no body), ahead of the id rule.
        var tenant = await Tenant.CreateAsync(fixture.Server);
        using var response = await tenant.SendAsync(HttpMethod.Put, $"orgs/{tenant.Org}/nodes/nul%00x", """{"token":"t-1"}""", "user");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task BadIdInAServedPatternBody_Is400NamingTheRule()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        using var response = await tenant.SendAsync(HttpMethod.Post, $"orgs/{tenant.Org}/agbots/agbot1/patterns",
            """{"patternOrgid":"o","pattern":"p\u200b","nodeOrgid":"o"}""", "admin");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"rule {ExchangeIds.CharsetRule}", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("edge.site-1_a")]
    [InlineData("N0DE")]
    public async Task OddButValidIds_AreAccepted(string id)
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        await tenant.User.PutNodeAsync(tenant.Org, id, new ExchangeNode { Token = "t-1" });
        Assert.Equal(id, (await tenant.User.GetNodeAsync(tenant.Org, id)).Id);
    }
}
