using System.Net;
using Horizon.Exchange.Client;
using Horizon.Exchange.Tests.Support;
using Xunit;

namespace Horizon.Exchange.Tests;

/// <summary>
/// Issue 19, defect 1: an agbot could grant itself another org's nodes by serving a pattern with that
/// org as <c>nodeOrgid</c>. Now the node org's admin grants it, or it reaches nothing there.
/// </summary>
public sealed class AgbotGrantTests(SqliteExchangeFixture fixture) : IClassFixture<SqliteExchangeFixture>
{
    private const string PolicyJson = """{"service":{"name":"hello","org":"o","arch":"amd64","serviceVersions":[{"version":"1.0.0"}]},"properties":[],"constraints":[]}""";

    /// <summary>What an agbot of <paramref name="agbotOrg"/> tries in <paramref name="victim"/>'s org.</summary>
    private static IEnumerable<(HttpMethod Verb, string Path, string? Body)> Reaches(Tenant victim, string agbotOrg) =>
    [
        (HttpMethod.Get, $"orgs/{victim.Org}/nodes", null),
        (HttpMethod.Get, $"orgs/{victim.Org}/nodes/node1", null),
        (HttpMethod.Get, $"orgs/{victim.Org}/nodes/node1/agreements", null),
        (HttpMethod.Get, $"orgs/{victim.Org}/status", null),
        (HttpMethod.Get, $"orgs/{victim.Org}", null),
        (HttpMethod.Post, $"orgs/{victim.Org}/search/nodehealth", "{}"),
        (HttpMethod.Post, $"orgs/{victim.Org}/patterns/{Tenant.Pattern}/search", $$"""{"nodeOrgids":["{{victim.Org}}"]}"""),
        (HttpMethod.Get, $"orgs/{victim.Org}/patterns/private1", null),
        (HttpMethod.Get, $"orgs/{victim.Org}/business/policies", null),
        (HttpMethod.Get, $"orgs/{victim.Org}/business/policies/pol1", null),
    ];

    private static async Task<Tenant> VictimAsync(ExchangeServer server)
    {
        var victim = await Tenant.CreateAsync(server, "victim");
        using var pattern = await victim.SendAsync(HttpMethod.Put, $"orgs/{victim.Org}/patterns/private1",
            $$"""{"public":false,"services":[{"serviceUrl":"hello","serviceOrgid":"{{victim.Org}}","serviceArch":"amd64","serviceVersions":[{"version":"1.0.0"}]}]}""", "admin");
        Assert.Equal(HttpStatusCode.Created, pattern.StatusCode);
        using var policy = await victim.SendAsync(HttpMethod.Put, $"orgs/{victim.Org}/business/policies/pol1", PolicyJson, "admin");
        Assert.Equal(HttpStatusCode.Created, policy.StatusCode);
        return victim;
    }

    [Fact]
    public async Task AgbotServingAnotherOrg_WithoutItsGrant_ReachesNothingThere_AndWithItReachesEverything_UntilRevoked()
    {
        var attacker = await Tenant.CreateAsync(fixture.Server, "attacker");
        var victim = await VictimAsync(fixture.Server);
        // Serving the victim's pattern is allowed: it names what the agbot would like to serve, and grants nothing.
        await attacker.Agbot.AddAgbotPatternAsync(attacker.Org, "agbot1", new AgbotPattern { PatternOrgid = victim.Org, Pattern = Tenant.Pattern, NodeOrgid = victim.Org });
        await attacker.Agbot.AddAgbotBusinessPolicyAsync(attacker.Org, "agbot1", new AgbotBusinessPolicy { BusinessPolOrgid = victim.Org, BusinessPol = "pol1", NodeOrgid = victim.Org });

        foreach (var (verb, path, body) in Reaches(victim, attacker.Org))
        {
            using var response = await attacker.SendAsync(verb, path, body, "agbot1");
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"ungranted {verb} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        var ungrantedFeed = await attacker.Agbot.GetChangesAsync(attacker.Org, new ChangesRequest { OrgList = [victim.Org] });
        // The victim's pattern is private: not even its changes show (ChangeFeedTests: public ones do).
        Assert.DoesNotContain(ungrantedFeed.Changes, c => c.OrgId == victim.Org);

        await victim.Admin.GrantAgbotAsync(victim.Org, attacker.Org, "agbot1");
        var grantedFeed = await attacker.Agbot.GetChangesAsync(attacker.Org, new ChangesRequest { OrgList = [victim.Org] });
        Assert.Contains(grantedFeed.Changes, c => c.OrgId == victim.Org && c.Resource == "node");
        foreach (var (verb, path, body) in Reaches(victim, attacker.Org))
        {
            using var response = await attacker.SendAsync(verb, path, body, "agbot1");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"granted {verb} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        await victim.Admin.RevokeAgbotGrantAsync(victim.Org, attacker.Org, "agbot1");
        using var after = await attacker.SendAsync(HttpMethod.Get, $"orgs/{victim.Org}/nodes/node1", null, "agbot1");
        Assert.Equal(HttpStatusCode.Forbidden, after.StatusCode);
    }

    [Theory]
    [InlineData("agbot's org admin")]
    [InlineData("victim user")]
    [InlineData("victim node")]
    [InlineData("victim agbot")]
    [InlineData("the agbot itself")]
    public async Task Grant_BySomeoneOtherThanTheNodeOrgsAdmin_IsRefused_AndNotWritten(string who)
    {
        var attacker = await Tenant.CreateAsync(fixture.Server, "attacker");
        var victim = await Tenant.CreateAsync(fixture.Server, "victim");
        var (org, id) = who switch
        {
            "agbot's org admin" => (attacker.Org, "admin"),
            "victim user" => (victim.Org, "user"),
            "victim node" => (victim.Org, "node1"),
            "victim agbot" => (victim.Org, "agbot1"),
            _ => (attacker.Org, "agbot1"),
        };
        var path = $"orgs/{victim.Org}/agbotgrants/{attacker.Org}/agbot1";

        using var put = await victim.SendAsync(HttpMethod.Put, path, null, id, org);

        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        await Assert.ThrowsAsync<ExchangeNotFoundException>(() => victim.Admin.GetAgbotGrantAsync(victim.Org, attacker.Org, "agbot1"));
        using var reach = await attacker.SendAsync(HttpMethod.Get, $"orgs/{victim.Org}/nodes/node1", null, "agbot1");
        Assert.Equal(HttpStatusCode.Forbidden, reach.StatusCode);
    }

    [Fact]
    public async Task HubAdmin_MayGrant_AndTheGrantIsListedForTheNodeOrgsAdmin()
    {
        var attacker = await Tenant.CreateAsync(fixture.Server, "partner");
        var victim = await Tenant.CreateAsync(fixture.Server, "owner");

        await fixture.Server.Root.GrantAgbotAsync(victim.Org, attacker.Org, "agbot1");

        var grant = Assert.Single(await victim.Admin.ListAgbotGrantsAsync(victim.Org));
        Assert.Equal((victim.Org, attacker.Org, "agbot1", "root/root"), (grant.NodeOrgid, grant.AgbotOrgid, grant.Agbot, grant.GrantedBy));
        await Assert.ThrowsAsync<ExchangeForbiddenException>(() => attacker.Admin.ListAgbotGrantsAsync(victim.Org));
    }

    [Fact]
    public async Task DeletedAndRecreatedAgbot_DoesNotInheritItsPredecessorsGrant()
    {
        var partner = await Tenant.CreateAsync(fixture.Server, "partner");
        var owner = await Tenant.CreateAsync(fixture.Server, "owner");
        await owner.Admin.GrantAgbotAsync(owner.Org, partner.Org, "agbot1");

        await partner.Admin.DeleteAgbotAsync(partner.Org, "agbot1");
        await partner.Admin.PutAgbotAsync(partner.Org, "agbot1", new ExchangeAgbot { Token = Tenant.Password });

        using var reach = await partner.SendAsync(HttpMethod.Get, $"orgs/{owner.Org}/nodes/node1", null, "agbot1");
        Assert.Equal(HttpStatusCode.Forbidden, reach.StatusCode);
    }

    [Fact]
    public async Task PlainUser_MayNotCreateAnAgbot_OrgAdminMay()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);

        using var byUser = await tenant.SendAsync(HttpMethod.Put, $"orgs/{tenant.Org}/agbots/mybot", """{"token":"t-1"}""", "user");
        using var byAdmin = await tenant.SendAsync(HttpMethod.Put, $"orgs/{tenant.Org}/agbots/adminbot", """{"token":"t-1"}""", "admin");

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Created), (byUser.StatusCode, byAdmin.StatusCode));
        await Assert.ThrowsAsync<ExchangeNotFoundException>(() => tenant.Admin.GetAgbotAsync(tenant.Org, "mybot"));
    }
}
