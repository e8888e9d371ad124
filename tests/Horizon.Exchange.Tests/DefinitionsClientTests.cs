using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Horizon.Exchange.Client;
using Horizon.Exchange.Tests.Support;
using Horizon.Patterns.Signing;
using Xunit;

namespace Horizon.Exchange.Tests;

/// <summary>The typed client's reads of published services, patterns and deployment policies.</summary>
public sealed class DefinitionsClientTests(SqliteExchangeFixture fixture) : IClassFixture<SqliteExchangeFixture>
{
    private static readonly string Deployment = JsonSerializer.Serialize(new
    {
        services = new Dictionary<string, object> { ["hello"] = new { image = $"127.0.0.1:5000/hello@sha256:{new string('b', 64)}" } },
    });

    private static async Task PublishAsync(Tenant tenant, bool isPublic)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var service = JsonSerializer.Serialize(new
        {
            url = "hello",
            version = "1.0.0",
            arch = "amd64",
            @public = isPublic,
            deployment = Deployment,
            deploymentSignature = DeploymentSigner.Sign(Deployment, key.ExportPkcs8PrivateKeyPem()),
            publicKey = key.ExportSubjectPublicKeyInfoPem(),
        });
        var pattern = $$"""{"public":{{(isPublic ? "true" : "false")}},"services":[{"serviceUrl":"hello","serviceOrgid":"{{tenant.Org}}","serviceArch":"amd64","serviceVersions":[{"version":"1.0.0"}]}]}""";
        var policy = $$"""{"service":{"name":"hello","org":"{{tenant.Org}}","arch":"amd64","serviceVersions":[{"version":"1.0.0"}]},"constraints":["zone == \"north\""]}""";
        foreach (var (method, path, body) in new[]
        {
            (HttpMethod.Post, $"orgs/{tenant.Org}/services", service),
            (HttpMethod.Put, $"orgs/{tenant.Org}/patterns/pat1", pattern),
            (HttpMethod.Put, $"orgs/{tenant.Org}/business/policies/pol1", policy),
        })
        {
            using var response = await tenant.SendAsync(method, path, body, "user");
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
    }

    [Fact]
    public async Task PublishedDefinitions_AreReadBackAsModelTypes_ByGetAndList()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        await PublishAsync(tenant, isPublic: false);
        var agbot = tenant.Agbot;

        var service = await agbot.GetServiceAsync(tenant.Org, "hello_1.0.0_amd64");
        Assert.Equal(("hello", "1.0.0", "amd64", tenant.Org, Deployment), (service.Url, service.Version, service.Arch, service.Org, service.Deployment));
        Assert.Equal(["hello"], (await agbot.ListServicesAsync(tenant.Org)).Select(s => s.Url));

        var pattern = await agbot.GetPatternAsync(tenant.Org, "pat1");
        Assert.Equal("hello", Assert.Single(pattern.Services).ServiceUrl);
        Assert.Single(await agbot.ListPatternsAsync(tenant.Org));

        var policy = await agbot.GetDeploymentPolicyAsync(tenant.Org, "pol1");
        Assert.Equal(("hello", "zone == \"north\""), (policy.Service.Name, Assert.Single(policy.Constraints)));
        Assert.Single(await tenant.User.ListDeploymentPoliciesAsync(tenant.Org));
    }

    [Fact]
    public async Task UnknownDefinitions_AreNotFound_AndEmptyOrgsListNothing()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        var user = tenant.User;
        await Assert.ThrowsAsync<ExchangeNotFoundException>(() => user.GetServiceAsync(tenant.Org, "nosuch_1.0.0_amd64"));
        await Assert.ThrowsAsync<ExchangeNotFoundException>(() => user.GetPatternAsync(tenant.Org, "nosuch"));
        await Assert.ThrowsAsync<ExchangeNotFoundException>(() => user.GetDeploymentPolicyAsync(tenant.Org, "nosuch"));
        Assert.Empty(await user.ListServicesAsync(tenant.Org));
        Assert.Empty(await user.ListPatternsAsync(tenant.Org));
        Assert.Empty(await user.ListDeploymentPoliciesAsync(tenant.Org));
    }

    [Fact]
    public async Task AnotherOrgsUser_SeesOnlyPublicServicesAndPatterns_AndNoPolicies()
    {
        var publisher = await Tenant.CreateAsync(fixture.Server);
        await PublishAsync(publisher, isPublic: true);
        var stranger = (await Tenant.CreateAsync(fixture.Server)).User;
        Assert.Single(await stranger.ListServicesAsync(publisher.Org));
        Assert.Equal(publisher.Org, (await stranger.GetServiceAsync(publisher.Org, "hello_1.0.0_amd64")).Org);
        Assert.Single(await stranger.ListPatternsAsync(publisher.Org));
        await Assert.ThrowsAsync<ExchangeForbiddenException>(() => stranger.ListDeploymentPoliciesAsync(publisher.Org));
        await Assert.ThrowsAsync<ExchangeForbiddenException>(() => stranger.GetDeploymentPolicyAsync(publisher.Org, "pol1"));
    }

    [Fact]
    public async Task TypedClient_PublishesReplacesAndRemovesDefinitions()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        await PublishAsync(tenant, isPublic: false);
        var user = tenant.User;
        var service = await user.GetServiceAsync(tenant.Org, "hello_1.0.0_amd64");
        await user.PublishServiceAsync(tenant.Org, service with { Description = "replaced" });
        Assert.Equal("replaced", (await user.GetServiceAsync(tenant.Org, ExchangeIds.ServiceId("hello", "1.0.0", "amd64"))).Description);

        var pattern = await user.GetPatternAsync(tenant.Org, "pat1");
        await user.PutPatternAsync(tenant.Org, "pat2", pattern);
        Assert.Equal(2, (await user.ListPatternsAsync(tenant.Org)).Count);
        var policy = await user.GetDeploymentPolicyAsync(tenant.Org, "pol1");
        await user.PutDeploymentPolicyAsync(tenant.Org, "pol2", policy);
        Assert.Equal(2, (await user.ListDeploymentPoliciesAsync(tenant.Org)).Count);
        Assert.StartsWith("[{", await user.ListDefinitionsJsonAsync(ExchangeDefinitionKind.DeploymentPolicy, tenant.Org), StringComparison.Ordinal);

        await user.DeleteDefinitionAsync(ExchangeDefinitionKind.Pattern, tenant.Org, "pat2");
        await user.DeleteDefinitionAsync(ExchangeDefinitionKind.DeploymentPolicy, tenant.Org, "pol2");
        await user.DeleteDefinitionAsync(ExchangeDefinitionKind.Service, tenant.Org, "hello_1.0.0_amd64");
        await Assert.ThrowsAsync<ExchangeNotFoundException>(() => user.GetDefinitionJsonAsync(ExchangeDefinitionKind.Pattern, tenant.Org, "pat2"));
        await Assert.ThrowsAsync<ExchangeNotFoundException>(() => user.DeleteDefinitionAsync(ExchangeDefinitionKind.Service, tenant.Org, "hello_1.0.0_amd64"));
    }

    [Fact]
    public async Task Refusal_NamesTheIdentityAndWhatItAskedFor()
    {
        var publisher = await Tenant.CreateAsync(fixture.Server);
        await PublishAsync(publisher, isPublic: false);
        var stranger = await Tenant.CreateAsync(fixture.Server);
        var refused = await Assert.ThrowsAsync<ExchangeForbiddenException>(() => stranger.User.GetDeploymentPolicyAsync(publisher.Org, "pol1"));
        Assert.Equal($"{stranger.Org}/user", refused.Identity);
        Assert.Equal($"GET orgs/{publisher.Org}/business/policies/pol1", refused.Resource);
        Assert.StartsWith($"the exchange refused {stranger.Org}/user access: ", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"{publisher.Org}/pol1", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Tenant.Password, refused.Message, StringComparison.Ordinal);
    }
}
