using System.Net;
using System.Net.Http.Json;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Horizon.Exchange.Client;
using Horizon.Exchange.Enrollment;
using Horizon.Exchange.Tests.Support;
using Horizon.Hosting.Settings;
using Horizon.Testing;
using Horizon.Testing.Enrollment;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Horizon.Exchange.Tests;

/// <summary>One exchange serving HTTP and HTTPS, for the mTLS tests.</summary>
public sealed class HttpsExchangeFixture : IAsyncLifetime
{
    private ExchangeServer? _server;

    public ExchangeServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _server = await ExchangeServer.StartAsync(https: true);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>
/// HTTPS on the exchange: its certificate signed by the device CA, a node authenticated by its device certificate
/// (and refused when the certificate is expired, foreign, another node's, revoked, or of a deleted node), users on Basic.
/// </summary>
public sealed class MutualTlsTests(HttpsExchangeFixture fixture) : IClassFixture<HttpsExchangeFixture>
{
    private ExchangeServer Server => fixture.Server;

    private sealed record Enrolled(Tenant Tenant, EnrollingDevice Device, string Node, X509Certificate2 Certificate);

    private async Task<Enrolled> EnrollAsync(Tenant? tenant = null, string node = "dev1")
    {
        tenant ??= await Tenant.CreateAsync(Server);
        var device = new EnrollingDevice(await EnrollmentCredentials.CreateAsync(tenant.Admin, tenant.Org));
        using var http = Server.Http();
        using var response = await EnrollingDevice.SubmitAsync(http, tenant.Org, device.Submission());
        var submitted = (await response.Content.ReadFromJsonAsync(ExchangeJsonContext.Default.EnrollmentResult))!;
        var approved = await tenant.Admin.ApproveEnrollmentAsync(tenant.Org, submitted.Id!, new EnrollmentApproval { Node = node, Pattern = $"{tenant.Org}/{Tenant.Pattern}" });
        using var certificate = X509Certificate2.CreateFromPem(approved.Certificate!);
        return new Enrolled(tenant, device, node, certificate.CopyWithPrivateKey(device.Key));
    }

    private static async Task<HttpStatusCode> HeartbeatAsync(HttpClient http, string org, string node)
    {
        using var response = await http.PostAsync($"orgs/{org}/nodes/{node}/heartbeat", null);
        return response.StatusCode;
    }

    [Fact]
    public async Task EnrolledNode_WithItsDeviceCertificate_Heartbeats_AndReadsItself_WithoutAToken()
    {
        var enrolled = await EnrollAsync();
        using var http = Server.HttpsClient(enrolled.Certificate);
        Assert.Equal(HttpStatusCode.OK, await HeartbeatAsync(http, enrolled.Tenant.Org, "dev1"));
        using var exchange = new ExchangeClient(http, http.BaseAddress!, ExchangeCredentials.ByCertificate(enrolled.Tenant.Org, "dev1"));
        var node = await exchange.GetNodeAsync(enrolled.Tenant.Org, "dev1");
        Assert.Equal($"{enrolled.Tenant.Org}/{Tenant.Pattern}", node.Pattern);
        Assert.False(string.IsNullOrEmpty(node.LastHeartbeat));
    }

    [Fact]
    public async Task DeviceCertificateOfNodeA_OnNodeBsPath_IsRefusedWith403()
    {
        var a = await EnrollAsync();
        var b = await EnrollAsync(a.Tenant, "dev2");
        using var http = Server.HttpsClient(a.Certificate);
        Assert.Equal(HttpStatusCode.Forbidden, await HeartbeatAsync(http, a.Tenant.Org, b.Node));
        using var other = Server.HttpsClient(a.Certificate);
        using var response = await other.GetAsync($"orgs/{a.Tenant.Org}/nodes/{b.Node}");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task ExpiredDeviceCertificate_IsRefusedWith401_NamingItsValidity()
    {
        var enrolled = await EnrollAsync();
        var ca = Server.Services.GetRequiredService<DeviceCertificateAuthority>();
        // The same node, key and CA, but a life that ended yesterday.
        using var expiredPublic = ca.Issue(new PublicKey(enrolled.Device.Key), enrolled.Tenant.Org, "dev1", enrolled.Device.PublicKey,
            DateTimeOffset.UtcNow.AddDays(-8), TimeSpan.FromDays(7));
        using var expired = expiredPublic.CopyWithPrivateKey(enrolled.Device.Key);
        using var http = Server.HttpsClient(expired);
        using var response = await http.PostAsync($"orgs/{enrolled.Tenant.Org}/nodes/dev1/heartbeat", null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("valid", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertificateFromAForeignCa_NamingAnExistingNode_IsRefusedWith401()
    {
        var enrolled = await EnrollAsync();
        var now = DateTimeOffset.UtcNow;
        using var rogueKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rogueRequest = new CertificateRequest("CN=Horizon device CA", rogueKey, HashAlgorithmName.SHA256);
        rogueRequest.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForCertificateAuthority(0));
        using var rogue = rogueRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        var forgedRequest = new CertificateRequest($"CN={enrolled.Tenant.Org}/dev1, OU=ed25519:{enrolled.Device.PublicKey}", enrolled.Device.Key, HashAlgorithmName.SHA256);
        forgedRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var forgedPublic = forgedRequest.Create(rogue, now.AddMinutes(-1), now.AddDays(2), [1, 2, 3, 4]);
        using var forged = forgedPublic.CopyWithPrivateKey(enrolled.Device.Key);
        using var http = Server.HttpsClient(forged);
        Assert.Equal(HttpStatusCode.Unauthorized, await HeartbeatAsync(http, enrolled.Tenant.Org, "dev1"));
    }

    [Fact]
    public async Task EnrollmentCertificate_AsClientCertificate_AuthenticatesNothing()
    {
        var tenant = await Tenant.CreateAsync(Server);
        var (key, csr) = EnrollmentCredential.NewOrder("factory");
        using (key)
        {
            var issued = await tenant.Admin.CreateEnrollmentCertificateAsync(tenant.Org, new EnrollmentCertificateOrder { Name = "factory", Csr = csr });
            using var certificate = X509Certificate2.CreateFromPem(issued.Certificate!);
            using var credential = certificate.CopyWithPrivateKey(key);
            using var http = Server.HttpsClient(credential);
            using var response = await http.GetAsync($"orgs/{tenant.Org}/nodes/factory");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }


    [Fact]
    public async Task RevokedNode_IsRefusedAtOnce_EvenRightAfterASuccessfulCall()
    {
        var enrolled = await EnrollAsync();
        using var http = Server.HttpsClient(enrolled.Certificate);
        Assert.Equal(HttpStatusCode.OK, await HeartbeatAsync(http, enrolled.Tenant.Org, "dev1"));
        await enrolled.Tenant.Admin.RevokeNodeCertificatesAsync(enrolled.Tenant.Org, "dev1", new CertificateRevocation { Reason = "stolen" });
        using var response = await http.PostAsync($"orgs/{enrolled.Tenant.Org}/nodes/dev1/heartbeat", null);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("revoked", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertificateOfADeletedNode_DoesNotAuthenticateANewNodeOfTheSameId()
    {
        var enrolled = await EnrollAsync();
        using var http = Server.HttpsClient(enrolled.Certificate);
        Assert.Equal(HttpStatusCode.OK, await HeartbeatAsync(http, enrolled.Tenant.Org, "dev1"));
        await enrolled.Tenant.Admin.DeleteNodeAsync(enrolled.Tenant.Org, "dev1");
        await enrolled.Tenant.User.PutNodeAsync(enrolled.Tenant.Org, "dev1", new ExchangeNode { Token = "another-token-1", Arch = "amd64" });
        Assert.Equal(HttpStatusCode.Unauthorized, await HeartbeatAsync(http, enrolled.Tenant.Org, "dev1"));
    }

    [Fact]
    public async Task UsersKeepBasic_OverHttps_AndWrongBasicIsStill401()
    {
        var tenant = await Tenant.CreateAsync(Server);
        using var http = Server.HttpsClient();
        using var exchange = new ExchangeClient(http, http.BaseAddress!, new ExchangeCredentials(tenant.Org, "admin", Tenant.Password));
        Assert.NotEmpty(await exchange.ListUsersAsync(tenant.Org));
        using var wrong = new ExchangeClient(http, http.BaseAddress!, new ExchangeCredentials(tenant.Org, "admin", "wrong"));
        await Assert.ThrowsAsync<ExchangeUnauthorizedException>(() => wrong.ListUsersAsync(tenant.Org));
    }

    [Fact]
    public async Task NoCredentialsAtAll_OverHttps_Is401()
    {
        var tenant = await Tenant.CreateAsync(Server);
        using var http = Server.HttpsClient();
        using var response = await http.GetAsync($"orgs/{tenant.Org}/nodes/node1");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AClientTrustingAnotherCa_RefusesTheExchange()
    {
        var now = DateTimeOffset.UtcNow;
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Horizon device CA", otherKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForCertificateAuthority(0));
        using var other = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        using var http = Server.HttpsClient(trust: other);
        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("enrollment/ca"));
        Assert.IsType<AuthenticationException>(failure.InnerException);
    }

    [Fact]
    public async Task ServerCertificate_CarriesTheConfiguredNames_AndNoOthers()
    {
        await using var server = await ExchangeServer.StartAsync(https: true, settings: new Dictionary<string, string> { ["Https:Names"] = "exchange.example, 127.0.0.2" });
        using var http = server.HttpsClient();
        // Reached as 127.0.0.1, which is not among the names: the client refuses the certificate.
        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("enrollment/ca"));
        Assert.IsType<AuthenticationException>(failure.InnerException);
        var certificate = server.Services.GetRequiredService<ExchangeServerCertificate>().Current;
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["exchange.example"], names.EnumerateDnsNames());
        Assert.Equal([IPAddress.Parse("127.0.0.2")], names.EnumerateIPAddresses());
    }

    [Fact]
    public async Task ABadServerName_StopsTheStart_NamingTheSetting()
    {
        var failure = await Assert.ThrowsAsync<InvalidSettingsException>(() =>
            ExchangeServer.StartAsync(https: true, settings: new Dictionary<string, string> { ["Https:Names"] = "exchange.example,not a name!" }));
        Assert.Contains("Exchange:Https:Names", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("not-pem")]
    [InlineData("not-a-ca")]
    public void AWrongCaBundle_IsRefused_NamingTheFile(string kind)
    {
        using var directory = new TempDirectory("hzn-bundle");
        var path = directory.Combine("ca.crt");
        if (kind == "not-pem")
        {
            File.WriteAllText(path, "hello");
        }
        else if (kind == "not-a-ca")
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var leaf = new CertificateRequest("CN=leaf", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
            File.WriteAllText(path, leaf.ExportCertificatePem());
        }
        var failure = Assert.Throws<InvalidOperationException>(() => ExchangeTls.LoadCaBundle(path));
        Assert.Contains(path, failure.Message, StringComparison.Ordinal);
    }
}
