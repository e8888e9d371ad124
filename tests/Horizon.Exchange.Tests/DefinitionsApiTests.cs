using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Horizon.Exchange.Client;
using Horizon.Exchange.Tests.Support;
using Horizon.Patterns.Signing;
using Xunit;

namespace Horizon.Exchange.Tests;

public sealed class DefinitionsApiTests(SqliteExchangeFixture fixture) : IClassFixture<SqliteExchangeFixture>
{
    private static readonly string Deployment = JsonSerializer.Serialize(new
    {
        services = new Dictionary<string, object> { ["hello"] = new { image = $"127.0.0.1:5000/hello@sha256:{new string('a', 64)}" } },
    });

    private static string Service(string signature, string publicKey, bool isPublic = false) => JsonSerializer.Serialize(new
    {
        url = "hello",
        version = "1.0.0",
        arch = "amd64",
        @public = isPublic,
        deployment = Deployment,
        deploymentSignature = signature,
        publicKey,
    });

    private static (string Signature, string PublicKey) Sign(string deployment)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return (DeploymentSigner.Sign(deployment, key.ExportPkcs8PrivateKeyPem()), key.ExportSubjectPublicKeyInfoPem());
    }

    [Fact]
    public async Task SignedService_IsPublishedUnderItsOpenHorizonId_AndReadBack()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        var (signature, key) = Sign(Deployment);
        using var created = await tenant.SendAsync(HttpMethod.Post, $"orgs/{tenant.Org}/services", Service(signature, key), "user");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var read = await tenant.SendAsync(HttpMethod.Get, $"orgs/{tenant.Org}/services/hello_1.0.0_amd64", null, "node1");
        var service = JsonDocument.Parse(await read.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((tenant.Org, $"{tenant.Org}/user", Deployment), (service.GetProperty("org").GetString(), service.GetProperty("owner").GetString(), service.GetProperty("deployment").GetString()));
    }

    [Fact]
    public async Task Service_WithTamperedDeployment_IsRefusedWith400()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        var (signature, key) = Sign(Deployment.Replace("hello", "evil", StringComparison.Ordinal));
        using var response = await tenant.SendAsync(HttpMethod.Post, $"orgs/{tenant.Org}/services", Service(signature, key), "user");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("does not verify", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Service_WithUnknownField_IsRefusedWith400NamingIt()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        using var response = await tenant.SendAsync(HttpMethod.Post, $"orgs/{tenant.Org}/services", """{"url":"x","version":"1.0.0","arch":"amd64","flavour":"mint"}""", "user");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("flavour", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrivateService_IsHiddenFromOtherOrgs_PublicOneIsNot()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        var foreign = await Tenant.CreateAsync(fixture.Server);
        var (signature, key) = Sign(Deployment);
        using (await tenant.SendAsync(HttpMethod.Post, $"orgs/{tenant.Org}/services", Service(signature, key), "user")) { }
        using var hidden = await foreign.SendAsync(HttpMethod.Get, $"orgs/{tenant.Org}/services/hello_1.0.0_amd64", null, "user");
        Assert.Equal(HttpStatusCode.Forbidden, hidden.StatusCode);
        using (await tenant.SendAsync(HttpMethod.Put, $"orgs/{tenant.Org}/services/hello_1.0.0_amd64", Service(signature, key, isPublic: true), "user")) { }
        using var visible = await foreign.SendAsync(HttpMethod.Get, $"orgs/{tenant.Org}/services", null, "user");
        Assert.Single(JsonDocument.Parse(await visible.Content.ReadAsStringAsync()).RootElement.EnumerateArray());
        using var otherUserChange = await tenant.SendAsync(HttpMethod.Delete, $"orgs/{tenant.Org}/services/hello_1.0.0_amd64", null, "other");
        Assert.Equal(HttpStatusCode.Forbidden, otherUserChange.StatusCode);
    }

    [Fact]
    public async Task Pattern_WithBadVersion_Is400_ValidOneIsStored()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        const string bad = """{"services":[{"serviceUrl":"hello","serviceOrgid":"o","serviceArch":"amd64","serviceVersions":[{"version":"one"}]}]}""";
        using var refused = await tenant.SendAsync(HttpMethod.Put, $"orgs/{tenant.Org}/patterns/p1", bad, "user");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        using var stored = await tenant.SendAsync(HttpMethod.Put, $"orgs/{tenant.Org}/patterns/p1", bad.Replace("\"one\"", "\"1.0.0\"", StringComparison.Ordinal), "user");
        Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
        using var empty = await tenant.SendAsync(HttpMethod.Get, $"orgs/{tenant.Org}/business/policies", null, "user");
        Assert.Equal("[]", await empty.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PolicySearch_ReturnsOnlyNodesWhosePolicyIsCompatible()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        const string policy = """{"service":{"name":"hello","org":"o","arch":"amd64","serviceVersions":[{"version":"1.0.0"}]},"properties":[{"name":"tier","value":"gold"}],"constraints":["zone == \"north\""]}""";
        using (var put = await tenant.SendAsync(HttpMethod.Put, $"orgs/{tenant.Org}/business/policies/pol1", policy, "user"))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }
        foreach (var (id, zone, wants) in new[] { ("north1", "north", "gold"), ("south1", "south", "gold"), ("picky", "north", "platinum") })
        {
            await tenant.User.PutNodeAsync(tenant.Org, id, new ExchangeNode { Token = "t" });
            await tenant.User.PutNodePolicyJsonAsync(tenant.Org, id,
                $$"""{"properties":[{"name":"zone","value":"{{zone}}"}],"constraints":["tier == \"{{wants}}\""]}""");
        }
        var found = await tenant.Agbot.SearchPolicyNodesAsync(tenant.Org, "pol1", new PolicySearchRequest());
        Assert.Equal([$"{tenant.Org}/north1"], found.Nodes.Select(n => n.Id));
    }
}
