using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Horizon.Exchange.Client;
using Horizon.Exchange.Tests.Support;
using Horizon.Testing.Enrollment;
using Xunit;

namespace Horizon.Exchange.Tests;

/// <summary>Enrollment by CSR and approval, against a real exchange over HTTP.</summary>
public sealed class EnrollmentTests(SqliteExchangeFixture fixture) : IClassFixture<SqliteExchangeFixture>
{
    private static async Task<EnrollmentResult> SubmitAsync(Tenant tenant, EnrollingDevice device, HttpStatusCode expected = HttpStatusCode.Accepted)
    {
        using var http = tenant.Server.Http();
        using var response = await EnrollingDevice.SubmitAsync(http, tenant.Org, device.Submission());
        Assert.True(expected == response.StatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync(ExchangeJsonContext.Default.EnrollmentResult))!;
    }

    private static async Task<EnrollmentResult> ResultAsync(Tenant tenant, string id)
    {
        using var http = tenant.Server.Http();
        return (await http.GetFromJsonAsync($"orgs/{tenant.Org}/enrollments/{id}/result", ExchangeJsonContext.Default.EnrollmentResult))!;
    }

    // The audit's decisions on requests, without the creation of the test's enrollment certificate.
    private static async Task<List<EnrollmentAuditEntry>> DecisionsAsync(Tenant tenant) =>
        (await tenant.Admin.GetEnrollmentAuditAsync(tenant.Org)).Where(e => e.Request is not null).ToList();

    [Fact]
    public async Task Approval_CreatesTheNodeWithItsKeys_AndACertificateChainingToTheCa()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        using var voucher = await EnrollmentCredentials.CreateAsync(tenant.Admin, tenant.Org);
        using var device = new EnrollingDevice(voucher);
        var submitted = await SubmitAsync(tenant, device);
        Assert.Equal("pending", submitted.State);

        var pending = Assert.Single(await tenant.Admin.ListEnrollmentsAsync(tenant.Org, "pending"));
        Assert.Equal(submitted.Id, pending.Id);
        Assert.Equal(device.Facts, pending.Facts);

        var approved = await tenant.Admin.ApproveEnrollmentAsync(tenant.Org, submitted.Id!, new EnrollmentApproval { Node = "dev1", Pattern = $"{tenant.Org}/pat1" });
        Assert.Equal("approved", approved.State);

        var node = await tenant.Admin.GetNodeAsync(tenant.Org, "dev1");
        Assert.Equal(device.PublicKey, node.PublicKey);
        Assert.Equal(device.EncryptionKey, node.EncryptionKey);
        Assert.Equal(("amd64", $"{tenant.Org}/pat1"), (node.Arch, node.Pattern));

        var result = await ResultAsync(tenant, submitted.Id!);
        Assert.Equal("approved", result.State);
        Assert.Equal("dev1", result.Node);
        using var certificate = X509Certificate2.CreateFromPem(result.Certificate!);
        using var ca = X509Certificate2.CreateFromPem(result.CaCertificate!);
        Assert.Equal($"{tenant.Org}/dev1", certificate.GetNameInfo(X509NameType.SimpleName, false));
        Assert.Contains($"OU=ed25519:{device.PublicKey}", certificate.Subject, StringComparison.Ordinal);
        Assert.Equal(device.Key.ExportSubjectPublicKeyInfo(), certificate.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.InRange(certificate.NotAfter - certificate.NotBefore, TimeSpan.FromDays(7), TimeSpan.FromDays(7.01));
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(certificate), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));

        var audit = Assert.Single(await DecisionsAsync(tenant));
        Assert.Equal(("approved", $"{tenant.Org}/admin", "dev1", submitted.Id), (audit.Decision, audit.By, audit.Node, audit.Request));

        // The node has no token: nothing logs in as it with Basic credentials.
        using var blank = await tenant.SendAsync(HttpMethod.Get, $"orgs/{tenant.Org}/nodes/dev1", null, "dev1", token: "");
        Assert.Equal(HttpStatusCode.Unauthorized, blank.StatusCode);
    }

    [Fact]
    public async Task Approval_WithLabels_GivesTheNodeAPolicyWithThemAsProperties()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        using var voucher = await EnrollmentCredentials.CreateAsync(tenant.Admin, tenant.Org);
        using var device = new EnrollingDevice(voucher);
        var submitted = await SubmitAsync(tenant, device);
        await tenant.Admin.ApproveEnrollmentAsync(tenant.Org, submitted.Id!, new EnrollmentApproval
        {
            Node = "dev1",
            Labels = new Dictionary<string, string> { ["site"] = "lab" },
        });
        using var response = await tenant.SendAsync(HttpMethod.Get, $"orgs/{tenant.Org}/nodes/dev1/policy", null, "admin");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        Assert.Contains("\"site\"", text, StringComparison.Ordinal);
        Assert.Contains("\"lab\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Denial_IsRecorded_CreatesNoNode_AndCannotBeApprovedAfterwards()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        using var voucher = await EnrollmentCredentials.CreateAsync(tenant.Admin, tenant.Org);
        using var device = new EnrollingDevice(voucher);
        var submitted = await SubmitAsync(tenant, device);
        var denied = await tenant.Admin.DenyEnrollmentAsync(tenant.Org, submitted.Id!, new EnrollmentDenial { Reason = "unknown hardware" });
        Assert.Equal("denied", denied.State);

        var result = await ResultAsync(tenant, submitted.Id!);
        Assert.Equal(("denied", "unknown hardware", null), (result.State, result.Reason, result.Certificate));
        var audit = Assert.Single(await DecisionsAsync(tenant));
        Assert.Equal(("denied", $"{tenant.Org}/admin", "unknown hardware"), (audit.Decision, audit.By, audit.Detail));

        using var approve = await tenant.SendAsync(HttpMethod.Post, $"orgs/{tenant.Org}/enrollments/{submitted.Id}/approve", """{"node":"dev1"}""", "admin");
        Assert.Equal(HttpStatusCode.Conflict, approve.StatusCode);
        using var node = await tenant.SendAsync(HttpMethod.Get, $"orgs/{tenant.Org}/nodes/dev1", null, "admin");
        Assert.Equal(HttpStatusCode.NotFound, node.StatusCode);
    }

    [Theory]
    [InlineData("user")]
    [InlineData("node1")]
    [InlineData("agbot1")]
    [InlineData("foreign-admin")]
    public async Task Decision_ByAnIdentityThatIsNotAnAdminOfTheOrg_IsRefused(string who)
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        var foreign = await Tenant.CreateAsync(fixture.Server, "foreign");
        using var voucher = await EnrollmentCredentials.CreateAsync(tenant.Admin, tenant.Org);
        using var device = new EnrollingDevice(voucher);
        var submitted = await SubmitAsync(tenant, device);
        var (org, id) = who == "foreign-admin" ? (foreign.Org, "admin") : (tenant.Org, who);

        foreach (var (verb, body) in new[] { ("approve", """{"node":"dev1"}"""), ("deny", "{}") })
        {
            using var response = await tenant.SendAsync(HttpMethod.Post, $"orgs/{tenant.Org}/enrollments/{submitted.Id}/{verb}", body, id, org);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
        using var list = await tenant.SendAsync(HttpMethod.Get, $"orgs/{tenant.Org}/enrollments", null, id, org);
        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        Assert.Equal("pending", (await ResultAsync(tenant, submitted.Id!)).State);
        Assert.Empty(await DecisionsAsync(tenant));
    }

    public static TheoryData<string> Tampering => new() { "other-identity-key", "other-encryption-key", "other-machine-id", "edited-csr", "p384-key" };

    [Theory]
    [MemberData(nameof(Tampering))]
    public async Task Request_WhoseCsrDoesNotMatchIt_IsRefusedAndNothingIsStored(string tampering)
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        using var voucher = await EnrollmentCredentials.CreateAsync(tenant.Admin, tenant.Org);
        using var device = new EnrollingDevice(voucher);
        using var other = new EnrollingDevice(voucher);
        var honest = device.Submission();
        var submission = tampering switch
        {
            "other-identity-key" => honest with { PublicKey = other.PublicKey },
            "other-encryption-key" => honest with { EncryptionKey = other.EncryptionKey },
            "other-machine-id" => honest with { Facts = device.Facts with { MachineId = other.MachineId } },
            "edited-csr" => honest with { Csr = EditedCsr(device, other) },
            _ => honest with { Csr = P384Csr(device) },
        };
        using var http = tenant.Server.Http();
        using var response = await EnrollingDevice.SubmitAsync(http, tenant.Org, submission);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await tenant.Admin.ListEnrollmentsAsync(tenant.Org));
    }

    // A CSR signed for one device, whose subject was then swapped for another device's: the signature no longer holds.
    private static string EditedCsr(EnrollingDevice device, EnrollingDevice other)
    {
        var pem = EnrollmentCsr.Create(device.Key, device.MachineId, device.PublicKey, device.EncryptionKey);
        var der = Convert.FromBase64String(pem[PemEncoding.Find(pem).Base64Data]);
        var keyText = System.Text.Encoding.ASCII.GetBytes(device.PublicKey);
        var otherText = System.Text.Encoding.ASCII.GetBytes(other.PublicKey);
        var at = der.AsSpan().IndexOf(keyText);
        Assert.True(at > 0);
        otherText.CopyTo(der, at);
        return PemEncoding.WriteString("CERTIFICATE REQUEST", der);
    }

    private static string P384Csr(EnrollingDevice device)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        return EnrollmentCsr.Create(key, device.MachineId, device.PublicKey, device.EncryptionKey);
    }

    [Fact]
    public async Task Request_SentAgain_IsTheSameRequest_AndAfterItsDecisionIsRefused()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        using var voucher = await EnrollmentCredentials.CreateAsync(tenant.Admin, tenant.Org);
        using var device = new EnrollingDevice(voucher);
        var first = await SubmitAsync(tenant, device);
        var again = await SubmitAsync(tenant, device, HttpStatusCode.OK);
        Assert.Equal((first.Id, "pending"), (again.Id, again.State));
        Assert.Single(await tenant.Admin.ListEnrollmentsAsync(tenant.Org));

        using var http = tenant.Server.Http();
        using (var changed = await EnrollingDevice.SubmitAsync(http, tenant.Org, device.Submission() with { Facts = device.Facts with { Cpus = 64 } }))
        {
            Assert.Equal(HttpStatusCode.Conflict, changed.StatusCode);
        }
        await tenant.Admin.ApproveEnrollmentAsync(tenant.Org, first.Id!, new EnrollmentApproval { Node = "dev1" });
        using var replay = await EnrollingDevice.SubmitAsync(http, tenant.Org, device.Submission());
        Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
        using var twice = await tenant.SendAsync(HttpMethod.Post, $"orgs/{tenant.Org}/enrollments/{first.Id}/approve", """{"node":"dev2"}""", "admin");
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Single(await DecisionsAsync(tenant));
    }

    [Fact]
    public async Task Approval_NamingAnExistingNode_IsRefusedAndLeavesTheRequestPending()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        using var voucher = await EnrollmentCredentials.CreateAsync(tenant.Admin, tenant.Org);
        using var device = new EnrollingDevice(voucher);
        var submitted = await SubmitAsync(tenant, device);
        using var response = await tenant.SendAsync(HttpMethod.Post, $"orgs/{tenant.Org}/enrollments/{submitted.Id}/approve", """{"node":"node1"}""", "admin");
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("pending", (await ResultAsync(tenant, submitted.Id!)).State);
        Assert.Empty(await DecisionsAsync(tenant));
        Assert.Equal(Tenant.Pattern, (await tenant.Admin.GetNodeAsync(tenant.Org, "node1")).Pattern?.Split('/')[1]);
    }
}
