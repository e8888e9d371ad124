using System.Net;
using System.Text.Json;
using Horizon.Exchange.Client;
using Horizon.Exchange.Tests.Support;
using Xunit;

namespace Horizon.Exchange.Tests;

/// <summary>
/// Issue 19, defect 6: a request's work is bounded. List parameters over <c>Exchange:MaxListEntries</c>
/// (1,000) and page sizes over <c>Exchange:MaxPageSize</c> (10,000) are a 400 that says the bound.
/// </summary>
public sealed class ListCapTests(SqliteExchangeFixture fixture) : IClassFixture<SqliteExchangeFixture>
{
    private static List<string> Orgs(int count) => Enumerable.Range(0, count).Select(i => $"org{i}").ToList();

    [Fact]
    public async Task OrgList_OverTheCap_Is400SayingTheCap_AtTheCapIsServed()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        var over = JsonSerializer.Serialize(new ChangesRequest { OrgList = Orgs(1_001) }, ExchangeJsonContext.Default.ChangesRequest);
        var at = JsonSerializer.Serialize(new ChangesRequest { OrgList = Orgs(1_000) }, ExchangeJsonContext.Default.ChangesRequest);

        using var refused = await tenant.SendAsync(HttpMethod.Post, $"orgs/{tenant.Org}/changes", over, "agbot1");
        using var served = await tenant.SendAsync(HttpMethod.Post, $"orgs/{tenant.Org}/changes", at, "agbot1");

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.OK), (refused.StatusCode, served.StatusCode));
        Assert.Contains("at most 1000", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchList_OverTheCap_Is400()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        var body = JsonSerializer.Serialize(new PatternSearchRequest { NodeOrgids = Orgs(20_000) }, ExchangeJsonContext.Default.PatternSearchRequest);

        using var response = await tenant.SendAsync(HttpMethod.Post, $"orgs/{tenant.Org}/patterns/{Tenant.Pattern}/search", body, "root", "root", fixture.Server.RootPassword);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("nodeOrgids", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/nodes?limit=10001", null)]
    [InlineData("GET", "/nodes?limit=-1", null)]
    [InlineData("POST", "/changes", """{"maxRecords":10001}""")]
    [InlineData("POST", "/search/nodehealth", """{"limit":1000000}""")]
    [InlineData("POST", "/patterns/pat1/search", """{"limit":10001}""")]
    public async Task PageSize_OverTheMaximum_Is400SayingIt(string verb, string path, string? body)
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        using var response = await tenant.SendAsync(new HttpMethod(verb), $"orgs/{tenant.Org}{path}", body, "admin");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("10000", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
