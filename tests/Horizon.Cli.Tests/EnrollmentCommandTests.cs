using System.Text.Json;
using Horizon.Cli.Tests.Support;
using Horizon.Exchange.Client;
using Horizon.Testing.Enrollment;
using Xunit;

namespace Horizon.Cli.Tests;

/// <summary><c>hzn exchange node requests|approve|deny</c> against a real exchange.</summary>
public sealed class EnrollmentCommandTests(CliFixture fixture) : IClassFixture<CliFixture>
{
    private async Task<EnrollmentCredential> VoucherAsync(string org) =>
        await EnrollmentCredentials.CreateAsync(fixture.Exchange.Client(org, "admin", CliFixture.Password), org);

    private async Task<string> SubmitAsync(string org, EnrollingDevice device)
    {
        using var http = fixture.Exchange.Http();
        using var response = await EnrollingDevice.SubmitAsync(http, org, device.Submission());
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Admin_ListsPendingRequests_ApprovesOne_AndDeniesAnother()
    {
        var (org, hzn) = await fixture.NewOrgAsync();
        using var voucher = await VoucherAsync(org);
        using var first = new EnrollingDevice(voucher);
        using var second = new EnrollingDevice(voucher);
        var approveId = await SubmitAsync(org, first);
        var denyId = await SubmitAsync(org, second);

        var pending = await hzn.RunAsync("exchange", "node", "requests");
        Assert.True(pending.ExitCode == 0, pending.ToString());
        Assert.Contains(approveId, pending.Out, StringComparison.Ordinal);
        Assert.Contains(first.MachineId, pending.Out, StringComparison.Ordinal);
        Assert.Contains(denyId, pending.Out, StringComparison.Ordinal);

        var approve = await hzn.RunAsync("exchange", "node", "approve", approveId, "--node", "dev1", "--label", "site=lab");
        Assert.True(approve.ExitCode == 0, approve.ToString());
        var deny = await hzn.RunAsync("exchange", "node", "deny", denyId, "--reason", "not ours");
        Assert.True(deny.ExitCode == 0, deny.ToString());

        Assert.DoesNotContain(approveId, (await hzn.RunAsync("exchange", "node", "requests")).Out, StringComparison.Ordinal);
        var decided = await hzn.RunAsync("exchange", "node", "requests", "--state", "all", "--json");
        Assert.True(decided.ExitCode == 0, decided.ToString());
        var states = JsonSerializer.Deserialize(decided.Out, ExchangeJsonContext.Default.IReadOnlyListEnrollmentRequest)!.ToDictionary(r => r.Id!, r => (r.State, r.Node));
        Assert.Equal(("approved", "dev1"), states[approveId]);
        Assert.Equal(("denied", (string?)null), states[denyId]);
        var node = await hzn.RunAsync("exchange", "node", "list", "dev1", "--json");
        Assert.Contains(first.PublicKey, node.Out, StringComparison.Ordinal);

        var again = await hzn.RunAsync("exchange", "node", "approve", denyId, "--node", "dev2");
        Assert.Equal(4, again.ExitCode);

        var revoke = await hzn.RunAsync("exchange", "node", "revokecert", "dev1", "--reason", "lost");
        Assert.True(revoke.ExitCode == 0, revoke.ToString());
        var audit = await hzn.RunAsync("exchange", "node", "enrollaudit");
        Assert.True(audit.ExitCode == 0, audit.ToString());
        foreach (var expected in new[] { "approved", "denied", "revoked", "not ours", "lost", $"{org}/admin" })
        {
            Assert.Contains(expected, audit.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task OrdinaryUser_ApprovingOrListing_ExitsWith3_AndTheRequestStaysPending()
    {
        var (org, hzn) = await fixture.NewOrgAsync();
        await hzn.With(("HZN_NEW_USER_PASSWORD", "pw-bob-1")).RunAsync("exchange", "user", "add", "bob");
        using var voucher = await VoucherAsync(org);
        using var device = new EnrollingDevice(voucher);
        var id = await SubmitAsync(org, device);
        var bob = hzn.With(("HZN_EXCHANGE_USER_AUTH", "bob:pw-bob-1"));

        Assert.Equal(3, (await bob.RunAsync("exchange", "node", "approve", id, "--node", "dev1")).ExitCode);
        Assert.Equal(3, (await bob.RunAsync("exchange", "node", "deny", id)).ExitCode);
        Assert.Equal(3, (await bob.RunAsync("exchange", "node", "requests")).ExitCode);
        Assert.Equal(3, (await bob.RunAsync("exchange", "node", "enrollaudit")).ExitCode);
        Assert.Contains(id, (await hzn.RunAsync("exchange", "node", "requests")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approve_WithAMalformedLabel_ExitsWith1_NamingIt()
    {
        var (org, hzn) = await fixture.NewOrgAsync();
        using var voucher = await VoucherAsync(org);
        using var device = new EnrollingDevice(voucher);
        var id = await SubmitAsync(org, device);
        var result = await hzn.RunAsync("exchange", "node", "approve", id, "--node", "dev1", "--label", "nolabel");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("nolabel", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task EnrollmentCert_Create_WritesAKeyOnlyItsOwnerReads_DevicesEnrollWithIt_UntilItIsRevoked()
    {
        var (org, hzn) = await fixture.NewOrgAsync();
        var folder = Path.Combine(Path.GetTempPath(), $"hzn-ec-{Guid.NewGuid():N}");
        try
        {
            var create = await hzn.RunAsync("exchange", "org", "enrollmentcert", "create", "factory-a", "--dir", folder, "--ttl", "30d");
            Assert.True(create.ExitCode == 0, create.ToString());
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder, "enrollment.key")));
            Assert.True(File.Exists(Path.Combine(folder, "ca.crt")));
            using var credential = EnrollmentCredential.Load(Path.Combine(folder, "enrollment.crt"), Path.Combine(folder, "enrollment.key"));
            using var device = new EnrollingDevice(credential);
            await SubmitAsync(org, device);

            var list = await hzn.RunAsync("exchange", "org", "enrollmentcert", "list");
            Assert.True(list.ExitCode == 0, list.ToString());
            Assert.Contains("factory-a", list.Out, StringComparison.Ordinal);

            var revoke = await hzn.RunAsync("exchange", "org", "enrollmentcert", "revoke", "factory-a", "--reason", "image leaked");
            Assert.True(revoke.ExitCode == 0, revoke.ToString());
            using var late = new EnrollingDevice(credential);
            using var http = fixture.Exchange.Http();
            using var refused = await EnrollingDevice.SubmitAsync(http, org, late.Submission());
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("image leaked", (await hzn.RunAsync("exchange", "node", "enrollaudit")).Out, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task EnrollmentCert_ByAnOrdinaryUser_ExitsWith3_AndWritesNoKey()
    {
        var (_, hzn) = await fixture.NewOrgAsync();
        await hzn.With(("HZN_NEW_USER_PASSWORD", "pw-bob-1")).RunAsync("exchange", "user", "add", "bob");
        var bob = hzn.With(("HZN_EXCHANGE_USER_AUTH", "bob:pw-bob-1"));
        var folder = Path.Combine(Path.GetTempPath(), $"hzn-ec-{Guid.NewGuid():N}");
        Assert.Equal(3, (await bob.RunAsync("exchange", "org", "enrollmentcert", "create", "mine", "--dir", folder)).ExitCode);
        Assert.False(Directory.Exists(folder));
        Assert.Equal(3, (await bob.RunAsync("exchange", "org", "enrollmentcert", "list")).ExitCode);
    }

    [Fact]
    public async Task EnrollmentRule_AddedByTheAdmin_ApprovesAMatchingDevice_AndAnOrdinaryUserCannotAddOne()
    {
        var (org, hzn) = await fixture.NewOrgAsync();
        await hzn.With(("HZN_NEW_USER_PASSWORD", "pw-bob-1")).RunAsync("exchange", "user", "add", "bob");
        var bob = hzn.With(("HZN_EXCHANGE_USER_AUTH", "bob:pw-bob-1"));
        Assert.Equal(3, (await bob.RunAsync("exchange", "org", "enrollmentrule", "add", "sneaky", "--arch", "amd64")).ExitCode);

        using var voucher = await VoucherAsync(org);
        var add = await hzn.RunAsync("exchange", "org", "enrollmentrule", "add", "lab", "--arch", "amd64", "--node-prefix", "lab-", "--label", "site=lab");
        Assert.True(add.ExitCode == 0, add.ToString());
        var list = await hzn.RunAsync("exchange", "org", "enrollmentrule", "list");
        Assert.Contains("lab-", list.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("sneaky", list.Out, StringComparison.Ordinal);

        using var device = new EnrollingDevice(voucher);
        await SubmitAsync(org, device);
        var node = await hzn.RunAsync("exchange", "node", "list", $"lab-{device.MachineId}", "--json");
        Assert.True(node.ExitCode == 0, node.ToString());
        Assert.Contains("rule:lab", (await hzn.RunAsync("exchange", "node", "enrollaudit")).Out, StringComparison.Ordinal);
    }
}
