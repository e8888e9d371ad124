using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Horizon.Exchange.Client;
using Horizon.Exchange.Tests.Support;
using Horizon.Testing;
using Horizon.Testing.Enrollment;
using Horizon.Testing.Postgres;
using Xunit;

namespace Horizon.Exchange.Tests;

/// <summary>
/// Issue 22: two exchanges on one PostgreSQL (and one CA folder). A node's certificates revoked on one are refused on
/// the other: renewal at once, every mTLS call once the other's credential cache window has passed, however recently
/// the certificate was verified there. Another node keeps working on both.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class RevocationAcrossExchangesTests(PostgresFixture postgres)
{
    private static readonly TimeSpan CacheWindow = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task CertificatesRevokedOnOneExchange_AreRefusedOnTheOther_OnceItsCacheWindowPassed()
    {
        var database = await postgres.Server.CreateDatabaseAsync("exrevoke");
        using var ca = new TempDirectory("hzn-shared-ca");
        var settings = new Dictionary<string, string>
        {
            ["Enrollment:CaDirectory"] = ca.Combine("ca"),
            ["CredentialCacheLifetime"] = "00:00:02",
        };
        await using var first = await ExchangeServer.StartAsync(database, rootPassword: "shared-root", settings: settings, https: true);
        await using var second = await ExchangeServer.StartAsync(database, rootPassword: "shared-root", settings: new Dictionary<string, string>(settings), https: true);
        var tenant = await Tenant.CreateAsync(first);
        using var voucher = await EnrollmentCredentials.CreateAsync(tenant.Admin, tenant.Org);
        var (revokedDevice, revoked) = await EnrollAsync(first, tenant, voucher, "dev1");
        var (keptDevice, kept) = await EnrollAsync(first, tenant, voucher, "dev2");
        using (revokedDevice)
        using (keptDevice)
        using (revoked)
        using (kept)
        {
            using var revokedOnSecond = second.HttpsClient(revoked);
            using var keptOnSecond = second.HttpsClient(kept);
            using var revokedOnFirst = first.HttpsClient(revoked);
            // Verified (and remembered) on the second exchange just before the revocation.
            Assert.Equal(HttpStatusCode.OK, await HeartbeatAsync(revokedOnSecond, tenant.Org, "dev1"));

            await tenant.Admin.RevokeNodeCertificatesAsync(tenant.Org, "dev1", new CertificateRevocation { Reason = "stolen" });
            var revokedAt = DateTime.UtcNow;

            Assert.Equal(HttpStatusCode.Forbidden, await HeartbeatAsync(revokedOnFirst, tenant.Org, "dev1"));
            using var http = second.Http();
            using var renewal = await http.PostAsJsonAsync($"orgs/{tenant.Org}/nodes/dev1/certificate/renew", Renewal(revokedDevice, revoked), ExchangeJsonContext.Default.CertificateRenewal);
            Assert.Equal(HttpStatusCode.Forbidden, renewal.StatusCode);
            var wait = revokedAt + CacheWindow + TimeSpan.FromSeconds(1) - DateTime.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }
            Assert.Equal(HttpStatusCode.Forbidden, await HeartbeatAsync(revokedOnSecond, tenant.Org, "dev1"));
            using var freshConnection = second.HttpsClient(revoked);
            Assert.Equal(HttpStatusCode.Forbidden, await HeartbeatAsync(freshConnection, tenant.Org, "dev1"));
            Assert.Equal(HttpStatusCode.OK, await HeartbeatAsync(keptOnSecond, tenant.Org, "dev2"));
        }
    }

    private static async Task<(EnrollingDevice Device, X509Certificate2 Certificate)> EnrollAsync(ExchangeServer server, Tenant tenant, EnrollmentCredential voucher, string node)
    {
        var device = new EnrollingDevice(voucher);
        using var http = server.Http();
        using var response = await EnrollingDevice.SubmitAsync(http, tenant.Org, device.Submission());
        var submitted = (await response.Content.ReadFromJsonAsync(ExchangeJsonContext.Default.EnrollmentResult))!;
        var approved = await tenant.Admin.ApproveEnrollmentAsync(tenant.Org, submitted.Id!, new EnrollmentApproval { Node = node });
        using var certificate = X509Certificate2.CreateFromPem(approved.Certificate!);
        return (device, certificate.CopyWithPrivateKey(device.Key));
    }

    private static CertificateRenewal Renewal(EnrollingDevice device, X509Certificate2 current)
    {
        using var next = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = EnrollmentCsr.Create(next, device.MachineId, device.PublicKey, device.EncryptionKey);
        return new CertificateRenewal { Certificate = current.ExportCertificatePem(), Csr = csr, Signature = EnrollmentCsr.ProveKey(device.Key, csr) };
    }

    private static async Task<HttpStatusCode> HeartbeatAsync(HttpClient http, string org, string node)
    {
        using var response = await http.PostAsync($"orgs/{org}/nodes/{node}/heartbeat", null);
        return response.StatusCode;
    }
}
