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
        // A client with a body this large asks before sending it (Expect: 100-continue; curl does past 1 MB), and
        // waits for the answer as long as it takes here. Sent unasked, the body races the 413: Kestrel answers as
        // soon as the handler starts reading, closes the connection (it does not read a body it refused), and
        // the bytes still arriving make the kernel reset it, which an uploader still writing sees instead of
        // the answer. It did once under load. Asked first, the exchange refuses before any of the body is sent.
        using var http = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromMinutes(2) })
        {
            BaseAddress = fixture.Server.BaseUrl,
        };
        using var body = new WatchedContent(huge);
        using var request = new HttpRequestMessage(HttpMethod.Put, $"orgs/{tenant.Org}/nodes/node1") { Content = body };
        request.Headers.ExpectContinue = true;
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{tenant.Org}/user:{Tenant.Password}")));
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("size limit", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(body.Sent, "the exchange invited the body (100 Continue) before refusing it");
    }

    /// <summary>A JSON body that records whether the client began sending it.</summary>
    private sealed class WatchedContent(string json) : StringContent(json, System.Text.Encoding.UTF8, "application/json")
    {
        public bool Sent { get; private set; }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
        {
            Sent = true;
            return base.SerializeToStreamAsync(stream, context, cancellationToken);
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            Sent = true;
            return base.SerializeToStreamAsync(stream, context);
        }
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
