using System.Security.Cryptography;
using System.Text.Json;
using Horizon.Exchange.Client;
using Horizon.Exchange.Tests.Support;
using Horizon.Patterns.Model;
using Horizon.Patterns.Signing;
using Xunit;

namespace Horizon.Exchange.Tests;

/// <summary>
/// <c>/orgs/{org}/services/{service}/policy</c>, Open Horizon's service policy: read as the service is
/// read, written by whoever may change the service, validated, and removed with the service.
/// </summary>
public sealed class ServicePolicyApiTests(SqliteExchangeFixture fixture) : IClassFixture<SqliteExchangeFixture>
{
    private const string ServiceId = "hello_1.0.0_amd64";

    private static readonly ServicePolicy Policy = new()
    {
        Label = "hello's needs",
        Properties = [new Property("hello.tier", "gold")],
        Constraints = ["openhorizon.memory >= 64"],
    };

    private static async Task PublishAsync(Tenant tenant, bool isPublic)
    {
        var deployment = JsonSerializer.Serialize(new { services = new Dictionary<string, object> { ["hello"] = new { image = $"127.0.0.1:5000/hello@sha256:{new string('c', 64)}" } } });
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var service = JsonSerializer.Serialize(new
        {
            url = "hello", version = "1.0.0", arch = "amd64", @public = isPublic, deployment,
            deploymentSignature = DeploymentSigner.Sign(deployment, key.ExportPkcs8PrivateKeyPem()),
            publicKey = key.ExportSubjectPublicKeyInfoPem(),
        });
        using var response = await tenant.SendAsync(HttpMethod.Post, $"orgs/{tenant.Org}/services", service, "user");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Owner_SetsThePolicy_AndTheOrgsNodeAndAgbotReadIt()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        await PublishAsync(tenant, isPublic: false);

        await tenant.User.PutServicePolicyAsync(tenant.Org, ServiceId, Policy);

        foreach (var reader in new[] { tenant.User, tenant.Node, tenant.Agbot })
        {
            var read = await reader.GetServicePolicyAsync(tenant.Org, ServiceId);
            Assert.Equal(("hello's needs", "openhorizon.memory >= 64", "hello.tier"), (read.Label, Assert.Single(read.Constraints), Assert.Single(read.Properties).Name));
            Assert.NotNull(read.LastUpdated);
        }
    }

    [Fact]
    public async Task AnotherOrgsUser_MayNotReadAPrivateServicesPolicy_AndIsToldWhy_ButReadsAPublicOnes()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        var other = await Tenant.CreateAsync(fixture.Server);
        await PublishAsync(tenant, isPublic: false);
        await tenant.User.PutServicePolicyAsync(tenant.Org, ServiceId, Policy);

        var refused = await Assert.ThrowsAsync<ExchangeForbiddenException>(() => other.User.GetServicePolicyAsync(tenant.Org, ServiceId));
        Assert.Contains($"may not read the policy of service {tenant.Org}/{ServiceId}", refused.Message, StringComparison.Ordinal);

        await PublishAsync(tenant, isPublic: true);
        Assert.Single((await other.User.GetServicePolicyAsync(tenant.Org, ServiceId)).Constraints);
    }

    [Fact]
    public async Task OnlyTheOwnerOrAnAdmin_MayChangeIt_AndNothingIsWrittenOnARefusal()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        var other = await Tenant.CreateAsync(fixture.Server);
        await PublishAsync(tenant, isPublic: true);

        await Assert.ThrowsAsync<ExchangeForbiddenException>(() => tenant.OtherUser.PutServicePolicyAsync(tenant.Org, ServiceId, Policy));
        await Assert.ThrowsAsync<ExchangeForbiddenException>(() => tenant.Node.PutServicePolicyAsync(tenant.Org, ServiceId, Policy));
        await Assert.ThrowsAsync<ExchangeForbiddenException>(() => other.Admin.PutServicePolicyAsync(tenant.Org, ServiceId, Policy));
        await Assert.ThrowsAsync<ExchangeNotFoundException>(() => tenant.User.GetServicePolicyAsync(tenant.Org, ServiceId));

        await tenant.Admin.PutServicePolicyAsync(tenant.Org, ServiceId, Policy);
        await Assert.ThrowsAsync<ExchangeForbiddenException>(() => tenant.OtherUser.DeleteServicePolicyAsync(tenant.Org, ServiceId));
        Assert.Single((await tenant.User.GetServicePolicyAsync(tenant.Org, ServiceId)).Constraints);
    }

    [Fact]
    public async Task APolicyWithABadConstraint_IsRefusedWithTheReason_AndAnUnknownServiceHasNone()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        await PublishAsync(tenant, isPublic: false);

        var bad = await Assert.ThrowsAsync<ExchangeException>(() =>
            tenant.User.PutServicePolicyAsync(tenant.Org, ServiceId, Policy with { Constraints = ["openhorizon.memory>=64&&x == 1"] }));
        Assert.Contains("must have whitespace on both sides", bad.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ExchangeNotFoundException>(() => tenant.User.PutServicePolicyAsync(tenant.Org, "nosuch_1.0.0_amd64", Policy));
    }

    [Fact]
    public async Task RemovingTheService_RemovesItsPolicy()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        await PublishAsync(tenant, isPublic: false);
        await tenant.User.PutServicePolicyAsync(tenant.Org, ServiceId, Policy);

        await tenant.User.DeleteDefinitionAsync(ExchangeDefinitionKind.Service, tenant.Org, ServiceId);
        await PublishAsync(tenant, isPublic: false);

        await Assert.ThrowsAsync<ExchangeNotFoundException>(() => tenant.User.GetServicePolicyAsync(tenant.Org, ServiceId));
    }
}
