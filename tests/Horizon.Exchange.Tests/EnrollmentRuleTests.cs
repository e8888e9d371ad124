using System.Net;
using System.Net.Http.Json;
using Horizon.Exchange.Client;
using Horizon.Exchange.Tests.Support;
using Horizon.Testing.Enrollment;
using Xunit;

namespace Horizon.Exchange.Tests;

/// <summary>Auto-approval rules: a matching request is approved at submission and audited as the rule's; anything else stays pending.</summary>
public sealed class EnrollmentRuleTests(SqliteExchangeFixture fixture) : IClassFixture<SqliteExchangeFixture>
{
    private async Task<EnrollmentResult> SubmitAsync(Tenant tenant, EnrollmentSubmission submission)
    {
        using var http = fixture.Server.Http();
        using var response = await EnrollingDevice.SubmitAsync(http, tenant.Org, submission);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync(ExchangeJsonContext.Default.EnrollmentResult))!;
    }

    [Fact]
    public async Task Request_MatchingARule_IsApprovedAtSubmission_IntoTheRulesNode_AndAuditedAsTheRule()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        using var image = await EnrollmentCredentials.CreateAsync(tenant.Admin, tenant.Org, "factory-a");
        await tenant.Admin.AddEnrollmentRuleAsync(tenant.Org, new EnrollmentRule
        {
            Name = "lab",
            Arch = "amd64",
            EnrollmentCertificate = "factory-a",
            NodePrefix = "lab-",
            Labels = new Dictionary<string, string> { ["site"] = "lab" },
        });
        using var device = new EnrollingDevice(image);
        var result = await SubmitAsync(tenant, device.Submission());
        Assert.Equal(("approved", $"lab-{device.MachineId}"), (result.State, result.Node));
        Assert.NotNull(result.Certificate);

        var node = await tenant.Admin.GetNodeAsync(tenant.Org, $"lab-{device.MachineId}");
        Assert.Equal(device.PublicKey, node.PublicKey);
        Assert.Equal($"{tenant.Org}/admin", node.Owner);
        var audit = Assert.Single(await tenant.Admin.GetEnrollmentAuditAsync(tenant.Org), e => e.Decision == "approved");
        Assert.Equal("rule:lab", audit.By);
        Assert.Contains($"added by {tenant.Org}/admin", audit.Detail, StringComparison.Ordinal);
        Assert.Contains(await tenant.Admin.GetEnrollmentAuditAsync(tenant.Org), e => e.Decision == "rule-added" && e.By == $"{tenant.Org}/admin");
    }

    [Fact]
    public async Task Request_MatchingOnTheDevicesDeclaredLabels_IsApproved()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        using var image = await EnrollmentCredentials.CreateAsync(tenant.Admin, tenant.Org);
        await tenant.Admin.AddEnrollmentRuleAsync(tenant.Org, new EnrollmentRule { Name = "north", MatchLabels = new Dictionary<string, string> { ["zone"] = "north" } });
        using var device = new EnrollingDevice(image);
        var labelled = device.Submission() with { Facts = device.Facts with { Labels = new Dictionary<string, string> { ["zone"] = "north", ["rack"] = "7" } } };
        Assert.Equal("approved", (await SubmitAsync(tenant, image.Vouch(labelled))).State);
    }

    public static TheoryData<string> Mismatches => new() { "other-certificate", "other-arch", "other-label-value", "label-missing" };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public async Task Request_NotMatchingEveryCriterionOfARule_StaysPending(string mismatch)
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        using var image = await EnrollmentCredentials.CreateAsync(tenant.Admin, tenant.Org, "factory-a");
        await tenant.Admin.AddEnrollmentRuleAsync(tenant.Org, new EnrollmentRule
        {
            Name = "strict",
            Arch = mismatch == "other-arch" ? "arm64" : "amd64",
            EnrollmentCertificate = mismatch == "other-certificate" ? "factory-b" : "factory-a",
            MatchLabels = new Dictionary<string, string> { ["zone"] = "north" },
        });
        using var device = new EnrollingDevice(image);
        var labels = mismatch switch
        {
            "other-label-value" => new Dictionary<string, string> { ["zone"] = "south" },
            "label-missing" => null,
            _ => new Dictionary<string, string> { ["zone"] = "north" },
        };
        var submission = image.Vouch(device.Submission() with { Facts = device.Facts with { Labels = labels } });
        Assert.Equal("pending", (await SubmitAsync(tenant, submission)).State);
        Assert.Single(await tenant.Admin.ListEnrollmentsAsync(tenant.Org, "pending"));
        Assert.DoesNotContain(await tenant.Admin.GetEnrollmentAuditAsync(tenant.Org), e => e.Decision == "approved");
    }

    [Fact]
    public async Task Rule_ThatMatchesOnNothing_IsRefused()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        using var response = await tenant.SendAsync(HttpMethod.Post, $"orgs/{tenant.Org}/enrollmentrules", """{"name":"everyone","pattern":"x/y"}""", "admin");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await tenant.Admin.ListEnrollmentRulesAsync(tenant.Org));
    }

    [Theory]
    [InlineData("user")]
    [InlineData("node1")]
    [InlineData("agbot1")]
    [InlineData("foreign-admin")]
    public async Task Rules_ByAnIdentityThatIsNotAnAdminOfTheOrg_AreRefused(string who)
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        var foreign = await Tenant.CreateAsync(fixture.Server, "foreign");
        await tenant.Admin.AddEnrollmentRuleAsync(tenant.Org, new EnrollmentRule { Name = "kept", Arch = "amd64" });
        var (org, id) = who == "foreign-admin" ? (foreign.Org, "admin") : (tenant.Org, who);
        using (var add = await tenant.SendAsync(HttpMethod.Post, $"orgs/{tenant.Org}/enrollmentrules", """{"name":"mine","arch":"amd64"}""", id, org))
        {
            Assert.Equal(HttpStatusCode.Forbidden, add.StatusCode);
        }
        using (var remove = await tenant.SendAsync(HttpMethod.Delete, $"orgs/{tenant.Org}/enrollmentrules/kept", null, id, org))
        {
            Assert.Equal(HttpStatusCode.Forbidden, remove.StatusCode);
        }
        using (var list = await tenant.SendAsync(HttpMethod.Get, $"orgs/{tenant.Org}/enrollmentrules", null, id, org))
        {
            Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        }
        Assert.Equal("kept", Assert.Single(await tenant.Admin.ListEnrollmentRulesAsync(tenant.Org)).Name);
    }

    [Fact]
    public async Task RemovedRule_ApprovesNothingMore()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        using var image = await EnrollmentCredentials.CreateAsync(tenant.Admin, tenant.Org);
        await tenant.Admin.AddEnrollmentRuleAsync(tenant.Org, new EnrollmentRule { Name = "all-amd64", Arch = "amd64" });
        await tenant.Admin.RemoveEnrollmentRuleAsync(tenant.Org, "all-amd64");
        using var device = new EnrollingDevice(image);
        Assert.Equal("pending", (await SubmitAsync(tenant, device.Submission())).State);
        Assert.Contains(await tenant.Admin.GetEnrollmentAuditAsync(tenant.Org), e => e.Decision == "rule-removed");
    }

    [Fact]
    public async Task LabelsWithANullValue_AreRefusedWith400_InARuleAndInARequest()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        using (var rule = await tenant.SendAsync(HttpMethod.Post, $"orgs/{tenant.Org}/enrollmentrules", """{"name":"n","matchLabels":{"zone":null}}""", "admin"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, rule.StatusCode);
        }
        using var image = await EnrollmentCredentials.CreateAsync(tenant.Admin, tenant.Org);
        using var device = new EnrollingDevice(image);
        var json = System.Text.Json.JsonSerializer.Serialize(device.Submission(), ExchangeJsonContext.Default.EnrollmentSubmission)
            .Replace("\"facts\":{", "\"facts\":{\"labels\":{\"zone\":null},", StringComparison.Ordinal);
        using var http = fixture.Server.Http();
        using var response = await http.PostAsync($"orgs/{tenant.Org}/enrollments", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
