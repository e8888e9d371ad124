using System.Net;
using Horizon.Exchange.Client;
using Horizon.Exchange.Tests.Support;
using Xunit;

namespace Horizon.Exchange.Tests;

/// <summary>
/// Open Horizon's <c>*</c> as a served pattern or deployment policy ("every one of the org",
/// <c>hzn exchange agbot adddeploymentpol</c>'s default) is the one served name outside the id rule;
/// the entry it creates can be listed and removed by its id like any other.
/// </summary>
public sealed class ServedEveryOneTests(SqliteExchangeFixture fixture) : IClassFixture<SqliteExchangeFixture>
{
    [Fact]
    public async Task ServingStar_IsAccepted_ListedUnderAPathSafeId_AndRemovableByIt()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server, "star");

        var policy = await tenant.Agbot.AddAgbotBusinessPolicyAsync(tenant.Org, "agbot1", new AgbotBusinessPolicy { BusinessPolOrgid = tenant.Org, BusinessPol = "*" });
        var pattern = await tenant.Agbot.AddAgbotPatternAsync(tenant.Org, "agbot1", new AgbotPattern { PatternOrgid = tenant.Org, Pattern = "*" });

        Assert.Equal("*", policy.BusinessPol);
        Assert.True(ExchangeIds.IsValid(policy.Id), policy.Id);
        Assert.True(ExchangeIds.IsValid(pattern.Id), pattern.Id);
        Assert.Contains(await tenant.Agbot.ListAgbotBusinessPoliciesAsync(tenant.Org, "agbot1"), p => p.Id == policy.Id && p.BusinessPol == "*");
        await tenant.Agbot.DeleteAgbotBusinessPolicyAsync(tenant.Org, "agbot1", policy.Id!);
        await tenant.Agbot.DeleteAgbotPatternAsync(tenant.Org, "agbot1", pattern.Id!);
        Assert.DoesNotContain(await tenant.Agbot.ListAgbotBusinessPoliciesAsync(tenant.Org, "agbot1"), p => p.Id == policy.Id);
    }

    [Theory]
    [InlineData("a*")]
    [InlineData("**")]
    [InlineData("-all-")]
    public async Task OtherNamesOutsideTheIdRule_AreStillRefused(string name)
    {
        var tenant = await Tenant.CreateAsync(fixture.Server, "nostar");

        using var response = await tenant.SendAsync(HttpMethod.Post, $"orgs/{tenant.Org}/agbots/agbot1/businesspols",
            $$"""{"businessPolOrgid":"{{tenant.Org}}","businessPol":"{{name}}"}""", "agbot1");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
