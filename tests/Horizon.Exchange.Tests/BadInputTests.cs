using System.Net;
using System.Text.Json;
using Horizon.Exchange.Tests.Support;
using Xunit;

namespace Horizon.Exchange.Tests;

public sealed class BadInputTests(SqliteExchangeFixture fixture) : IClassFixture<SqliteExchangeFixture>
{
    public static TheoryData<string, string, string> BadBodies => new()
    {
        // path under orgs/{org}, body, words the problem detail must contain
        { "/nodes/node1", "{\"arch\": ", "invalid JSON" },
        { "/nodes/node1", "not json at all", "invalid JSON" },
        { "/nodes/node1", "{\"arch\":\"amd64\",\"colour\":\"red\"}", "colour" },
        { "/nodes/node1", "{\"arch\":42}", "$.arch" },
        { "/nodes/node1", "{\"registeredServices\":{}}", "$.registeredServices" },
        { "/nodes/node1", "[]", "invalid JSON" },
        { "/nodes/node1", "null", "JSON object" },
        { "/nodes/node1", "{\"publicKey\":\"not a key\"}", "publicKey" },
        { "/nodes/node1", "{\"pattern\":\"no-slash\"}", "org/pattern" },
        { "/nodes/node1/status", "{\"services\":\"x\"}", "$.services" },
        { "/nodes/node1/policy", "{\"properties\":{}}", "properties" },
        { "/nodes/node1/policy", "{\"constraints\":[1]}", "constraints" },
        { "/nodes/node1/policy", "{\"surprise\":true}", "surprise" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task BadBody_Is400WithAPreciseProblem(string path, string body, string expectedWords)
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        using var response = await tenant.SendAsync(HttpMethod.Put, $"orgs/{tenant.Org}{path}", body, "user");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Contains(expectedWords, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OversizedBody_Is413()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        var huge = $"{{\"name\":\"{new string('x', 2 * 1024 * 1024)}\"}}";
        using var response = await tenant.SendAsync(HttpMethod.Put, $"orgs/{tenant.Org}/nodes/node1", huge, "user");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/nodes/nosuchnode")]
    [InlineData("DELETE", "/nodes/nosuchnode")]
    [InlineData("POST", "/nodes/nosuchnode/heartbeat")]
    [InlineData("GET", "/nodes/node1/status")]
    [InlineData("GET", "/agbots/nosuchbot")]
    [InlineData("DELETE", "/agbots/agbot1/agreements/nosuch")]
    [InlineData("GET", "/users/nosuchuser")]
    public async Task UnknownId_Is404WithProblem(string verb, string path)
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        using var response = await tenant.SendAsync(new HttpMethod(verb), $"orgs/{tenant.Org}{path}", null, "admin");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task NodeInUnknownOrg_Is404ForHubAdmin()
    {
        using var response = await (await Tenant.CreateAsync(fixture.Server)).SendAsync(HttpMethod.Put, "orgs/nosuchorg/nodes/n", """{"token":"t"}""", "root", "root", fixture.Server.RootPassword);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("bad/id")]
    [InlineData("bad:id")]
    [InlineData("bad id")]
    public async Task NodeIdWithForbiddenCharacters_Is400(string id)
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        using var response = await tenant.SendAsync(HttpMethod.Put, $"orgs/{tenant.Org}/nodes/{Uri.EscapeDataString(id)}", """{"token":"t"}""", "user");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task MalformedCursor_Is400()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        using var response = await tenant.SendAsync(HttpMethod.Post, $"orgs/{tenant.Org}/patterns/pat1/search", """{"cursor":"%%%"}""", "agbot1");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task OpenApiDocument_IsServedAndListsTheNodeRoutes()
    {
        using var http = fixture.Server.Http();
        var document = JsonDocument.Parse(await http.GetStringAsync("openapi.json")).RootElement;
        Assert.True(document.GetProperty("paths").TryGetProperty("/v1/orgs/{org}/nodes/{id}", out _));
        Assert.True(document.GetProperty("paths").TryGetProperty("/v1/orgs/{org}/changes", out _));
    }
}
