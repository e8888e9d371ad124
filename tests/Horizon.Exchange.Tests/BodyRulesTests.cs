using System.Net;
using System.Text;
using Horizon.Exchange.Client;
using Horizon.Exchange.Tests.Support;
using Xunit;

namespace Horizon.Exchange.Tests;

/// <summary>
/// Issue 19, defects 5 and 7: bodies that stall, lie about their type, repeat keys or leave an
/// enum's values are refused with a 4xx naming why, and a caller who may not write learns nothing
/// of its body's problems; another org's caller gets 403 whether or not the resource exists.
/// </summary>
public sealed class BodyRulesTests(SqliteExchangeFixture fixture) : IClassFixture<SqliteExchangeFixture>
{
    [Fact]
    public async Task BodyShorterThanItsContentLength_ThatStalls_Gets408_Not500()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        var (status, body) = await RawHttp.SendAsync(fixture.Server.BaseUrl,
            $"PUT /v1/orgs/{tenant.Org}/nodes/node1 HTTP/1.1\r\nHost: x\r\n{RawHttp.Authorization(tenant.Org, "user", Tenant.Password)}\r\nContent-Type: application/json\r\nContent-Length: 100",
            Encoding.ASCII.GetBytes("""{"arch":"""));

        Assert.True(status is 408 or 400, $"got {status} {body}");
        Assert.Equal("amd64", (await tenant.User.GetNodeAsync(tenant.Org, "node1")).Arch);
    }

    public static TheoryData<string, string, string> BodyRoutes => new()
    {
        // verb, path under orgs/{org}, a body the route would accept as JSON
        { "PUT", "/nodes/node1", """{"arch":"arm64"}""" },
        { "PUT", "/nodes/node1/policy", """{"properties":[],"constraints":[]}""" },
        { "POST", "/nodes/node1/heartbeat", "{}" },
        { "PUT", "/patterns/p415", """{"services":[{"serviceUrl":"hello","serviceOrgid":"o","serviceArch":"amd64","serviceVersions":[{"version":"1.0.0"}]}]}""" },
        { "PUT", "/business/policies/p415", """{"service":{"name":"hello","org":"o","arch":"amd64","serviceVersions":[{"version":"1.0.0"}]}}""" },
        { "POST", "/changes", "{}" },
    };

    [Theory]
    [MemberData(nameof(BodyRoutes))]
    public async Task BodyWithoutAJsonContentType_Is415_OnEveryRoute_AndNothingIsWritten(string verb, string path, string body)
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        var before = (await tenant.Admin.GetChangesAsync(tenant.Org, new ChangesRequest())).MostRecentChangeId;
        using var http = fixture.Server.Http();
        using var request = new HttpRequestMessage(new HttpMethod(verb), $"orgs/{tenant.Org}{path}") { Content = new StringContent(body, Encoding.UTF8, "text/plain") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{tenant.Org}/admin:{Tenant.Password}")));

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(before, (await tenant.Admin.GetChangesAsync(tenant.Org, new ChangesRequest())).MostRecentChangeId);
    }

    [Theory]
    [InlineData("/nodes/node1", """{"arch":"arm64","arch":"riscv"}""")]
    [InlineData("/nodes/node1/policy", """{"properties":[{"name":"a","value":1,"value":2}],"constraints":[]}""")]
    [InlineData("/patterns/dup", """{"public":false,"public":true,"services":[{"serviceUrl":"hello","serviceOrgid":"o","serviceArch":"amd64","serviceVersions":[{"version":"1.0.0"}]}]}""")]
    public async Task DuplicateKeys_Are400(string path, string body)
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        using var response = await tenant.SendAsync(HttpMethod.Put, $"orgs/{tenant.Org}{path}", body, "admin");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("duplicate", (await response.Content.ReadAsStringAsync()).ToLowerInvariant(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("7")]
    [InlineData("\"sometimes\"")]
    public async Task Sharable_OutsideItsValues_Is400(string sharable)
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        using var response = await tenant.SendAsync(HttpMethod.Post, $"orgs/{tenant.Org}/services",
            $$"""{"url":"hello","version":"1.0.0","arch":"amd64","sharable":{{sharable}}}""", "admin");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("sharable", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("foreign", "/patterns/p1")]
    [InlineData("node1", "/patterns/p1")]
    [InlineData("foreign", "/nodes/node1")]
    [InlineData("foreign", "/nodes/node1/status")]
    [InlineData("foreign", "/users/someone")]
    [InlineData("foreign", "/agbots/agbot1/agreements/a1")]
    public async Task CallerWhoMayNotWrite_Gets403_NotTheBodysProblems(string who, string path)
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        var foreign = await Tenant.CreateAsync(fixture.Server, "foreign");
        var (id, org) = who == "foreign" ? ("admin", foreign.Org) : (who, tenant.Org);

        using var response = await tenant.SendAsync(HttpMethod.Put, $"orgs/{tenant.Org}{path}", """{"surprise":[1,2,""", id, org);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("JSON", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PATCH", "/nodes/{0}", """{"arch":"arm64"}""")]
    [InlineData("DELETE", "/nodes/{0}", null)]
    [InlineData("GET", "/nodes/{0}", null)]
    [InlineData("GET", "/nodes/{0}/status", null)]
    [InlineData("POST", "/nodes/{0}/heartbeat", null)]
    [InlineData("DELETE", "/agbots/{0}", null)]
    public async Task AnotherOrgsAdmin_Gets403_WhetherOrNotTheResourceExists(string verb, string pattern, string? body)
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        var foreign = await Tenant.CreateAsync(fixture.Server, "foreign");
        var existing = pattern.Contains("agbots", StringComparison.Ordinal) ? "agbot1" : "node1";

        using var onExisting = await tenant.SendAsync(new HttpMethod(verb), $"orgs/{tenant.Org}{string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, existing)}", body, "admin", foreign.Org);
        using var onMissing = await tenant.SendAsync(new HttpMethod(verb), $"orgs/{tenant.Org}{string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, "nosuch")}", body, "admin", foreign.Org);

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (onExisting.StatusCode, onMissing.StatusCode));
    }
}
