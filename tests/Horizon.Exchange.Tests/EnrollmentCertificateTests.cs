using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Horizon.Exchange.Client;
using Horizon.Exchange.Tests.Support;
using Horizon.Testing.Enrollment;
using Xunit;

namespace Horizon.Exchange.Tests;

/// <summary>
/// Enrollment certificates: early binding (one shared certificate, many devices), late binding (one device,
/// once, optionally one machine), and every way a request's certificate is refused, over HTTP against a
/// real exchange on a clock the tests move.
/// </summary>
public sealed class EnrollmentCertificateTests(ManualClockExchangeFixture fixture) : IClassFixture<ManualClockExchangeFixture>
{
    private async Task<HttpResponseMessage> SubmitAsync(Tenant tenant, EnrollmentSubmission submission)
    {
        using var http = fixture.Server.Http();
        return await EnrollingDevice.SubmitAsync(http, tenant.Org, submission);
    }

    private async Task<EnrollmentResult> AcceptedAsync(Tenant tenant, EnrollingDevice device, HttpStatusCode expected = HttpStatusCode.Accepted)
    {
        using var response = await SubmitAsync(tenant, device.Submission());
        Assert.True(response.StatusCode == expected, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync(ExchangeJsonContext.Default.EnrollmentResult))!;
    }

    [Fact]
    public async Task EarlyBinding_OneSharedCertificate_EnrollsManyDevices_AndEachRequestNamesIt()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        using var image = await EnrollmentCredentials.CreateAsync(tenant.Admin, tenant.Org, "factory-a");
        for (var i = 0; i < 3; i++)
        {
            using var device = new EnrollingDevice(image);
            await AcceptedAsync(tenant, device);
        }
        var pending = await tenant.Admin.ListEnrollmentsAsync(tenant.Org, "pending");
        Assert.Equal(3, pending.Count);
        Assert.All(pending, r => Assert.Equal("factory-a", r.EnrollmentCertificate));

        var listed = Assert.Single(await tenant.Admin.ListEnrollmentCertificatesAsync(tenant.Org));
        Assert.Equal(("factory-a", false, null), (listed.Name, listed.SingleUse, listed.RevokedAt));
        using var certificate = X509Certificate2.CreateFromPem(listed.Certificate!);
        Assert.Equal($"CN={tenant.Org}/factory-a", certificate.Subject);
        var created = Assert.Single(await tenant.Admin.GetEnrollmentAuditAsync(tenant.Org));
        Assert.Equal(("enrollmentcert-created", $"{tenant.Org}/admin"), (created.Decision, created.By));
    }

    [Fact]
    public async Task LateBinding_SingleUse_EnrollsOneDevice_ItsResendStillAnswers_AndASecondDeviceIsRefused()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        using var provisioned = await EnrollmentCredentials.CreateAsync(tenant.Admin, tenant.Org, ttlSeconds: 3600, singleUse: true);
        using var device = new EnrollingDevice(provisioned);
        var first = await AcceptedAsync(tenant, device);
        var resent = await AcceptedAsync(tenant, device, HttpStatusCode.OK);
        Assert.Equal(first.Id, resent.Id);

        using var second = new EnrollingDevice(provisioned);
        using var refused = await SubmitAsync(tenant, second.Submission());
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("single-use", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(first.Id, Assert.Single(await tenant.Admin.ListEnrollmentsAsync(tenant.Org)).Id);
        Assert.Equal(first.Id, Assert.Single(await tenant.Admin.ListEnrollmentCertificatesAsync(tenant.Org)).UsedBy);
    }

    [Fact]
    public async Task LateBinding_ForOneMachine_RefusesAnyOtherMachine()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        using var provisioned = await EnrollmentCredentials.CreateAsync(tenant.Admin, tenant.Org, ttlSeconds: 3600, singleUse: true, machineId: "0123456789abcdef");
        using var other = new EnrollingDevice(provisioned);
        using var response = await SubmitAsync(tenant, other.Submission());
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("0123456789abcdef", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await tenant.Admin.ListEnrollmentsAsync(tenant.Org));
        // The refused request did not use up the certificate.
        Assert.Null(Assert.Single(await tenant.Admin.ListEnrollmentCertificatesAsync(tenant.Org)).UsedBy);
    }

    public static TheoryData<string, HttpStatusCode> Refusals => new()
    {
        { "none", HttpStatusCode.Unauthorized },
        { "proof-by-another-key", HttpStatusCode.Unauthorized },
        { "proof-over-another-csr", HttpStatusCode.Unauthorized },
        { "foreign-ca", HttpStatusCode.Unauthorized },
        { "device-certificate", HttpStatusCode.Unauthorized },
        { "expired", HttpStatusCode.Unauthorized },
        { "revoked", HttpStatusCode.Forbidden },
        { "other-org", HttpStatusCode.Forbidden },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Request_WithoutAValidUnrevokedEnrollmentCertificateOfTheOrg_IsRefused_AndNothingIsStored(string flaw, HttpStatusCode expected)
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        var other = await Tenant.CreateAsync(fixture.Server, "other");
        using var voucher = await EnrollmentCredentials.CreateAsync(flaw == "other-org" ? other.Admin : tenant.Admin, flaw == "other-org" ? other.Org : tenant.Org,
            ttlSeconds: flaw == "expired" ? 60 : null);
        using var device = new EnrollingDevice(voucher);
        var honest = device.Submission();
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var submission = flaw switch
        {
            "none" => honest with { EnrollmentCertificate = null, EnrollmentProof = null },
            "proof-by-another-key" => honest with { EnrollmentProof = EnrollmentCsr.ProveKey(stranger, honest.Csr!) },
            "proof-over-another-csr" => honest with { EnrollmentProof = voucher.Vouch(device.Submission()).EnrollmentProof },
            "foreign-ca" => ForeignCaVouch(tenant.Org, honest),
            "device-certificate" => await DeviceCertificateVouchAsync(tenant, honest),
            _ => honest,
        };
        if (flaw == "revoked")
        {
            var name = Assert.Single(await tenant.Admin.ListEnrollmentCertificatesAsync(tenant.Org)).Name!;
            var revoked = await tenant.Admin.RevokeEnrollmentCertificateAsync(tenant.Org, name, new CertificateRevocation { Reason = "image leaked" });
            Assert.NotNull(revoked.RevokedAt);
        }
        if (flaw == "expired")
        {
            fixture.Clock.Advance(TimeSpan.FromMinutes(3));
        }
        var before = (await tenant.Admin.ListEnrollmentsAsync(tenant.Org)).Count;
        using var response = await SubmitAsync(tenant, submission);
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal(before, (await tenant.Admin.ListEnrollmentsAsync(tenant.Org)).Count);
    }

    // A look-alike enrollment certificate (same CN form, same purpose) signed by a CA this exchange never saw.
    private EnrollmentSubmission ForeignCaVouch(string org, EnrollmentSubmission honest)
    {
        var now = fixture.Clock.GetUtcNow();
        using var rogueKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rogueRequest = new CertificateRequest("CN=Horizon device CA", rogueKey, HashAlgorithmName.SHA256);
        rogueRequest.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForCertificateAuthority(0));
        using var rogue = rogueRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={org}/factory", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(EnrollmentCredential.Purpose)], false));
        using var forged = request.Create(rogue, now.AddMinutes(-1), now.AddDays(1), [5, 6, 7, 8]);
        return honest with { EnrollmentCertificate = forged.ExportCertificatePem(), EnrollmentProof = EnrollmentCsr.ProveKey(key, honest.Csr!) };
    }

    // A device certificate of this very CA, with its key: an enrolled node must not vouch for new devices.
    private async Task<EnrollmentSubmission> DeviceCertificateVouchAsync(Tenant tenant, EnrollmentSubmission honest)
    {
        using var voucher = await EnrollmentCredentials.CreateAsync(tenant.Admin, tenant.Org);
        using var enrolled = new EnrollingDevice(voucher);
        var submitted = await AcceptedAsync(tenant, enrolled);
        var approved = await tenant.Admin.ApproveEnrollmentAsync(tenant.Org, submitted.Id!, new EnrollmentApproval { Node = "voucher" });
        return honest with { EnrollmentCertificate = approved.Certificate, EnrollmentProof = EnrollmentCsr.ProveKey(enrolled.Key, honest.Csr!) };
    }

    [Fact]
    public async Task EnrollmentCertificate_PresentedForRenewal_IsRefused()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        using var voucher = await EnrollmentCredentials.CreateAsync(tenant.Admin, tenant.Org);
        using var device = new EnrollingDevice(voucher);
        var submitted = await AcceptedAsync(tenant, device);
        await tenant.Admin.ApproveEnrollmentAsync(tenant.Org, submitted.Id!, new EnrollmentApproval { Node = "dev1" });
        // An enrollment certificate whose name is the node's: same CN, CA and key, but not a device certificate.
        var (key, csr) = EnrollmentCredential.NewOrder("dev1");
        using (key)
        {
            var lookalike = await tenant.Admin.CreateEnrollmentCertificateAsync(tenant.Org, new EnrollmentCertificateOrder { Name = "dev1", Csr = csr });
            fixture.Clock.Advance(TimeSpan.FromDays(1));
            using var next = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var nextCsr = EnrollmentCsr.Create(next, device.MachineId, device.PublicKey, device.EncryptionKey);
            var renewal = new CertificateRenewal { Certificate = lookalike.Certificate, Csr = nextCsr, Signature = EnrollmentCsr.ProveKey(key, nextCsr) };
            using var http = fixture.Server.Http();
            using var response = await http.PostAsJsonAsync($"orgs/{tenant.Org}/nodes/dev1/certificate/renew", renewal, ExchangeJsonContext.Default.CertificateRenewal);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("user")]
    [InlineData("node1")]
    [InlineData("agbot1")]
    [InlineData("foreign-admin")]
    public async Task EnrollmentCertificates_ByAnIdentityThatIsNotAnAdminOfTheOrg_AreRefused(string who)
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        var foreign = await Tenant.CreateAsync(fixture.Server, "foreign");
        using var voucher = await EnrollmentCredentials.CreateAsync(tenant.Admin, tenant.Org, "factory");
        var (org, id) = who == "foreign-admin" ? (foreign.Org, "admin") : (tenant.Org, who);
        var (key, csr) = EnrollmentCredential.NewOrder("mine");
        key.Dispose();
        using (var create = await tenant.SendAsync(HttpMethod.Post, $"orgs/{tenant.Org}/enrollmentcerts", $$"""{"name":"mine","csr":{{System.Text.Json.JsonSerializer.Serialize(csr)}}}""", id, org))
        {
            Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        }
        using (var revoke = await tenant.SendAsync(HttpMethod.Post, $"orgs/{tenant.Org}/enrollmentcerts/factory/revoke", "{}", id, org))
        {
            Assert.Equal(HttpStatusCode.Forbidden, revoke.StatusCode);
        }
        using (var list = await tenant.SendAsync(HttpMethod.Get, $"orgs/{tenant.Org}/enrollmentcerts", null, id, org))
        {
            Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        }
        var only = Assert.Single(await tenant.Admin.ListEnrollmentCertificatesAsync(tenant.Org));
        Assert.Equal(("factory", null), (only.Name, only.RevokedAt));
    }

    [Fact]
    public async Task EnrollmentCertificate_NameTaken_Is409_AndRevocationIsAudited()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        using var voucher = await EnrollmentCredentials.CreateAsync(tenant.Admin, tenant.Org, "factory");
        var again = await Assert.ThrowsAnyAsync<ExchangeException>(() => EnrollmentCredentials.CreateAsync(tenant.Admin, tenant.Org, "factory"));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        await tenant.Admin.RevokeEnrollmentCertificateAsync(tenant.Org, "factory", new CertificateRevocation { Reason = "line closed" });
        var audit = await tenant.Admin.GetEnrollmentAuditAsync(tenant.Org);
        Assert.Contains(audit, e => e.Decision == "enrollmentcert-revoked" && e.By == $"{tenant.Org}/admin" && e.Detail!.Contains("line closed", StringComparison.Ordinal));
    }
}
