using Horizon.Hosting.Settings;
using System.Net;
using Horizon.Testing;
using Horizon.Testing.Enrollment;
using Xunit;

namespace Horizon.Exchange.Tests;

/// <summary>The device CA's files, and the cap on pending requests, each on an exchange of its own.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class EnrollmentCaTests
{
    [Fact]
    public async Task Ca_IsCreatedAtFirstStartWithAnOwnerOnlyKey_AndKeptAcrossRestarts()
    {
        using var directory = new TempDirectory("hzn-ca");
        var settings = new Dictionary<string, string> { ["Enrollment:CaDirectory"] = directory.Combine("ca") };
        string first;
        await using (var server = await ExchangeServer.StartAsync(settings: settings))
        {
            using var http = server.Http();
            first = await http.GetStringAsync("enrollment/ca");
        }
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(directory.Combine("ca", "ca.key")));
        await using (var server = await ExchangeServer.StartAsync(settings: settings))
        {
            using var http = server.Http();
            Assert.Equal(first, await http.GetStringAsync("enrollment/ca"));
        }
    }

    /// <summary>Two exchanges started together on one CA folder (as on one database) both start, on one CA.</summary>
    [Fact]
    public async Task TwoExchangesStartingTogether_OnOneCaFolder_BothStart_WithTheSameCa()
    {
        using var directory = new TempDirectory("hzn-ca");
        var settings = new Dictionary<string, string> { ["Enrollment:CaDirectory"] = directory.Combine("ca") };
        for (var round = 0; round < 5; round++)
        {
            Directory.CreateDirectory(directory.Combine("ca"));
            Directory.Delete(directory.Combine("ca"), recursive: true);
            var starting = Enumerable.Range(0, 3).Select(_ => Task.Run(() => ExchangeServer.StartAsync(settings: settings))).ToList();
            var servers = await Task.WhenAll(starting);
            try
            {
                var cas = new List<string>();
                foreach (var server in servers)
                {
                    using var http = server.Http();
                    cas.Add(await http.GetStringAsync("enrollment/ca"));
                }
                Assert.Single(cas.Distinct());
            }
            finally
            {
                foreach (var server in servers)
                {
                    await server.DisposeAsync();
                }
            }
        }
    }

    [Fact]
    public async Task Ca_WhoseKeyOthersCanRead_StopsTheStart_NamingTheFile()
    {
        using var directory = new TempDirectory("hzn-ca");
        var settings = new Dictionary<string, string> { ["Enrollment:CaDirectory"] = directory.Combine("ca") };
        await (await ExchangeServer.StartAsync(settings: settings)).DisposeAsync();
        var key = directory.Combine("ca", "ca.key");
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var e = await Assert.ThrowsAsync<InvalidSettingsException>(() => ExchangeServer.StartAsync(settings: settings));
        Assert.Contains(key, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PendingRequests_OverTheOrgsCap_Get429_AndOtherOrgsKeepEnrolling()
    {
        await using var server = await ExchangeServer.StartAsync(settings: new Dictionary<string, string> { ["Enrollment:MaxPendingPerOrg"] = "2" });
        var flooded = await Support.Tenant.CreateAsync(server);
        var other = await Support.Tenant.CreateAsync(server);
        using var http = server.Http();
        using var floodVoucher = await EnrollmentCredentials.CreateAsync(flooded.Admin, flooded.Org);
        using var otherVoucher = await EnrollmentCredentials.CreateAsync(other.Admin, other.Org);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var device = new EnrollingDevice(floodVoucher);
            using var response = await EnrollingDevice.SubmitAsync(http, flooded.Org, device.Submission());
            statuses.Add(response.StatusCode);
        }
        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests], statuses);
        using var elsewhere = new EnrollingDevice(otherVoucher);
        using var accepted = await EnrollingDevice.SubmitAsync(http, other.Org, elsewhere.Submission());
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
    }
    /// <summary>
    /// Issue 22: a flood through one enrollment certificate (leaked from an image) is stopped at its own cap, while
    /// devices vouched for by the org's other certificates keep enrolling. The other certificate's name differs
    /// from the flooding one only where the flooding one has '_' (a wildcard to SQL's LIKE), so it counts apart.
    /// </summary>
    [Fact]
    public async Task PendingFlood_FromOneEnrollmentCertificate_Gets429NamingIt_AndTheOrgsOtherCertificatesKeepEnrolling()
    {
        await using var server = await ExchangeServer.StartAsync(settings: new Dictionary<string, string> { ["Enrollment:MaxPendingPerCertificate"] = "2" });
        var tenant = await Support.Tenant.CreateAsync(server);
        using var http = server.Http();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        using var leaked = await EnrollmentCredentials.CreateAsync(tenant.Admin, tenant.Org, $"img_{suffix}");
        using var other = await EnrollmentCredentials.CreateAsync(tenant.Admin, tenant.Org, $"imgx{suffix}");
        var statuses = new List<HttpStatusCode>();
        string? refusal = null;
        for (var i = 0; i < 4; i++)
        {
            using var device = new EnrollingDevice(leaked);
            using var response = await EnrollingDevice.SubmitAsync(http, tenant.Org, device.Submission());
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refusal = await response.Content.ReadAsStringAsync();
            }
        }

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Contains($"img_{suffix}", refusal, StringComparison.Ordinal);
        for (var i = 0; i < 2; i++)
        {
            using var device = new EnrollingDevice(other);
            using var accepted = await EnrollingDevice.SubmitAsync(http, tenant.Org, device.Submission());
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }
        Assert.Equal(4, (await tenant.Admin.ListEnrollmentsAsync(tenant.Org, "pending")).Count);
    }
}
