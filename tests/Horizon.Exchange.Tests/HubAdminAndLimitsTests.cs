using System.Net;
using Horizon.Exchange.Client;
using Horizon.Exchange.Tests.Support;
using Xunit;

namespace Horizon.Exchange.Tests;

/// <summary>
/// Issue 19, defects 2 and 3: a root-org admin is not a hub admin, a password reset keeps every
/// flag it does not name, and an org's limits are the hub's to set, not the org admin's.
/// </summary>
public sealed class HubAdminAndLimitsTests(SqliteExchangeFixture fixture) : IClassFixture<SqliteExchangeFixture>
{
    private async Task<(string HubAdmin, string RootAdmin, Tenant Tenant)> RootUsersAsync()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        var hub = $"hub{Guid.NewGuid():N}"[..16];
        var rootAdmin = $"radm{Guid.NewGuid():N}"[..16];
        await fixture.Server.Root.PutUserAsync("root", hub, new ExchangeUser { Password = Tenant.Password, HubAdmin = true, Admin = true });
        await fixture.Server.Root.PutUserAsync("root", rootAdmin, new ExchangeUser { Password = Tenant.Password, Admin = true });
        return (hub, rootAdmin, tenant);
    }

    [Fact]
    public async Task RootOrgAdminWhoIsNotHubAdmin_CannotResetOrDeleteAHubAdmin()
    {
        var (hub, rootAdmin, tenant) = await RootUsersAsync();

        using var reset = await tenant.SendAsync(HttpMethod.Put, $"orgs/root/users/{hub}", """{"password":"taken-over"}""", rootAdmin, "root");
        using var delete = await tenant.SendAsync(HttpMethod.Delete, $"orgs/root/users/{hub}", null, rootAdmin, "root");

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (reset.StatusCode, delete.StatusCode));
        var self = await fixture.Server.Client("root", hub, Tenant.Password).GetUserAsync("root", hub);
        Assert.True(self.HubAdmin);
    }

    [Fact]
    public async Task RootOrgAdmin_CannotMakeItselfOrAnotherAHubAdmin()
    {
        var (_, rootAdmin, tenant) = await RootUsersAsync();

        using var self = await tenant.SendAsync(HttpMethod.Put, $"orgs/root/users/{rootAdmin}", """{"hubAdmin":true}""", rootAdmin, "root");
        using var other = await tenant.SendAsync(HttpMethod.Put, "orgs/root/users/newhub", """{"password":"p-1","hubAdmin":true}""", rootAdmin, "root");

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (self.StatusCode, other.StatusCode));
        Assert.False((await fixture.Server.Root.GetUserAsync("root", rootAdmin)).HubAdmin);
        await Assert.ThrowsAsync<ExchangeNotFoundException>(() => fixture.Server.Root.GetUserAsync("root", "newhub"));
    }

    [Fact]
    public async Task PasswordReset_WithoutTheFlags_KeepsHubAdminAndAdmin()
    {
        var (hub, _, tenant) = await RootUsersAsync();

        using var reset = await tenant.SendAsync(HttpMethod.Put, $"orgs/root/users/{hub}", """{"password":"pw-2"}""", "root", "root", fixture.Server.RootPassword);

        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        var user = await fixture.Server.Client("root", hub, "pw-2").GetUserAsync("root", hub);
        Assert.Equal((true, true), (user.HubAdmin, user.Admin));
    }

    [Fact]
    public async Task OrgAdmin_RaisingItsOrgsLimits_Gets403_AndTheLimitStays_AndOtherChangesKeepIt()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        await fixture.Server.Root.PutOrgAsync(tenant.Org, new ExchangeOrg { Label = "capped", Limits = new OrgLimits { MaxNodes = 2 } });

        using var raise = await tenant.SendAsync(HttpMethod.Put, $"orgs/{tenant.Org}", """{"label":"mine","limits":{"maxNodes":2000000000}}""", "admin");
        using var relabel = await tenant.SendAsync(HttpMethod.Put, $"orgs/{tenant.Org}", """{"label":"mine"}""", "admin");

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.OK), (raise.StatusCode, relabel.StatusCode));
        var org = await tenant.Admin.GetOrgAsync(tenant.Org);
        Assert.Equal(("mine", 2), (org.Label, org.Limits?.MaxNodes));
    }

    [Fact]
    public async Task HubAdmin_ChangesAnOrgsLimits()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);

        await fixture.Server.Root.PutOrgAsync(tenant.Org, new ExchangeOrg { Label = "capped", Limits = new OrgLimits { MaxNodes = 5 } });

        Assert.Equal(5, (await tenant.Admin.GetOrgAsync(tenant.Org)).Limits?.MaxNodes);
    }
}
