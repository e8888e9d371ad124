using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Horizon.Exchange.Client;
using Horizon.Exchange.Tests.Support;
using Horizon.Testing;
using Horizon.Testing.Enrollment;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Horizon.Exchange.Tests;

/// <summary>One exchange on a clock the tests move, for certificate lifetimes.</summary>
public sealed class ManualClockExchangeFixture : IAsyncLifetime
{
    private ExchangeServer? _server;

    public ManualTimeProvider Clock { get; } = new();

    public ExchangeServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _server = await ExchangeServer.StartAsync(services: s => s.AddSingleton<TimeProvider>(Clock));

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>Renewal of device certificates (current certificate and its key required, from two thirds of its life) and revocation.</summary>
public sealed class DeviceCertificateTests(ManualClockExchangeFixture fixture) : IClassFixture<ManualClockExchangeFixture>
{
    private sealed record Enrolled(Tenant Tenant, EnrollingDevice Device, string Node, string Certificate);

    private async Task<Enrolled> EnrollAsync(Tenant? tenant = null, string node = "dev1")
    {
        tenant ??= await Tenant.CreateAsync(fixture.Server);
        // Not disposed: the tests use the device key after this returns, and the process ends soon after.
        var device = new EnrollingDevice(await EnrollmentCredentials.CreateAsync(tenant.Admin, tenant.Org));
        using var http = fixture.Server.Http();
        using var response = await EnrollingDevice.SubmitAsync(http, tenant.Org, device.Submission());
        var submitted = (await response.Content.ReadFromJsonAsync(ExchangeJsonContext.Default.EnrollmentResult))!;
        var approved = await tenant.Admin.ApproveEnrollmentAsync(tenant.Org, submitted.Id!, new EnrollmentApproval { Node = node });
        return new Enrolled(tenant, device, node, approved.Certificate!);
    }

    private async Task<HttpResponseMessage> RenewAsync(Enrolled enrolled, ECDsa nextKey, string? certificate = null, ECDsa? provingKey = null, string? node = null)
    {
        var csr = EnrollmentCsr.Create(nextKey, enrolled.Device.MachineId, enrolled.Device.PublicKey, enrolled.Device.EncryptionKey);
        var renewal = new CertificateRenewal
        {
            Certificate = certificate ?? enrolled.Certificate,
            Csr = csr,
            Signature = EnrollmentCsr.ProveKey(provingKey ?? enrolled.Device.Key, csr),
        };
        using var http = fixture.Server.Http();
        return await http.PostAsJsonAsync($"orgs/{enrolled.Tenant.Org}/nodes/{node ?? enrolled.Node}/certificate/renew", renewal, ExchangeJsonContext.Default.CertificateRenewal);
    }

    [Fact]
    public async Task Renewal_AtTwoThirdsOfTheLife_IssuesACertificateForTheNewKey_ThatChainsToTheCa()
    {
        var enrolled = await EnrollAsync();
        fixture.Clock.Advance(TimeSpan.FromDays(5));
        using var next = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var response = await RenewAsync(enrolled, next);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var issued = (await response.Content.ReadFromJsonAsync(ExchangeJsonContext.Default.IssuedCertificate))!;
        using var certificate = X509Certificate2.CreateFromPem(issued.Certificate!);
        using var ca = X509Certificate2.CreateFromPem(issued.CaCertificate!);
        Assert.Equal($"{enrolled.Tenant.Org}/dev1", certificate.GetNameInfo(X509NameType.SimpleName, false));
        Assert.Equal(next.ExportSubjectPublicKeyInfo(), certificate.PublicKey.ExportSubjectPublicKeyInfo());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = fixture.Clock.GetUtcNow().UtcDateTime;
        Assert.True(chain.Build(certificate));
        Assert.Contains(await enrolled.Tenant.Admin.GetEnrollmentAuditAsync(enrolled.Tenant.Org), e => e.Decision == "renewed" && e.Node == "dev1");
    }

    [Fact]
    public async Task Renewal_BeforeTwoThirdsOfTheLife_IsRefusedWithTheTimeItOpens()
    {
        var enrolled = await EnrollAsync();
        fixture.Clock.Advance(TimeSpan.FromDays(4));
        using var next = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var response = await RenewAsync(enrolled, next);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("two thirds", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revocation_StopsRenewalsAtOnce_AndIsAudited()
    {
        var enrolled = await EnrollAsync();
        fixture.Clock.Advance(TimeSpan.FromDays(5));
        await using (var revoke = new RevokeCall(enrolled.Tenant, "dev1", "admin"))
        {
            Assert.Equal(HttpStatusCode.OK, await revoke.StatusAsync());
        }
        using var next = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var response = await RenewAsync(enrolled, next);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("revoked", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(await enrolled.Tenant.Admin.GetEnrollmentAuditAsync(enrolled.Tenant.Org), e => e.Decision == "revoked" && e.By == $"{enrolled.Tenant.Org}/admin");
    }

    [Theory]
    [InlineData("user")]
    [InlineData("node1")]
    [InlineData("foreign-admin")]
    public async Task Revocation_ByAnIdentityThatIsNotAnAdminOfTheOrg_IsRefused_AndRenewalKeepsWorking(string who)
    {
        var enrolled = await EnrollAsync();
        var foreign = await Tenant.CreateAsync(fixture.Server, "foreign");
        await using (var revoke = new RevokeCall(enrolled.Tenant, "dev1", who == "foreign-admin" ? "admin" : who, who == "foreign-admin" ? foreign.Org : null))
        {
            Assert.Equal(HttpStatusCode.Forbidden, await revoke.StatusAsync());
        }
        fixture.Clock.Advance(TimeSpan.FromDays(5));
        using var next = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var response = await RenewAsync(enrolled, next);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Renewal_WithAnotherNodesCertificate_IsRefused()
    {
        var mine = await EnrollAsync();
        var theirs = await EnrollAsync(mine.Tenant, "dev2");
        fixture.Clock.Advance(TimeSpan.FromDays(5));
        using var next = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var response = await RenewAsync(mine, next, certificate: theirs.Certificate, provingKey: theirs.Device.Key);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Renewal_WithoutTheCurrentCertificatesKey_IsRefused()
    {
        var enrolled = await EnrollAsync();
        fixture.Clock.Advance(TimeSpan.FromDays(5));
        using var next = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var response = await RenewAsync(enrolled, next, provingKey: next);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Renewal_WithAnExpiredCertificate_IsRefused()
    {
        var enrolled = await EnrollAsync();
        fixture.Clock.Advance(TimeSpan.FromDays(8));
        using var next = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var response = await RenewAsync(enrolled, next);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Renewal_WithACertificateFromAForeignCa_IsRefused()
    {
        var enrolled = await EnrollAsync();
        fixture.Clock.Advance(TimeSpan.FromDays(5));
        var now = fixture.Clock.GetUtcNow();
        // A look-alike: same CN, same key, signed by a CA this exchange never saw.
        using var rogueKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rogueRequest = new CertificateRequest("CN=Horizon device CA", rogueKey, HashAlgorithmName.SHA256);
        rogueRequest.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForCertificateAuthority(0));
        using var rogue = rogueRequest.CreateSelfSigned(now.AddDays(-10), now.AddYears(1));
        var forged = new CertificateRequest($"CN={enrolled.Tenant.Org}/dev1", enrolled.Device.Key, HashAlgorithmName.SHA256)
            .Create(rogue, now.AddDays(-5), now.AddDays(2), [1, 2, 3, 4]);
        using var next = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var response = await RenewAsync(enrolled, next, certificate: forged.ExportCertificatePem());
        forged.Dispose();
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private sealed class RevokeCall(Tenant tenant, string node, string id, string? org = null) : IAsyncDisposable
    {
        private HttpResponseMessage? _response;

        public async Task<HttpStatusCode> StatusAsync()
        {
            _response = await tenant.SendAsync(HttpMethod.Post, $"orgs/{tenant.Org}/nodes/{node}/certificate/revoke", """{"reason":"stolen"}""", id, org);
            return _response.StatusCode;
        }

        public ValueTask DisposeAsync()
        {
            _response?.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
