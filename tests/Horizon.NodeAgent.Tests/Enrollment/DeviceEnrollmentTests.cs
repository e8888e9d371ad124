using System.Net;
using System.Security.Cryptography.X509Certificates;
using Horizon.Exchange.Client;
using Horizon.NodeAgent.Enrollment;
using Horizon.Testing;
using Horizon.Testing.Exchange;
using Horizon.Testing.Enrollment;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Horizon.NodeAgent.Tests.Enrollment;

/// <summary>The agent's enrollment client against a real exchange whose clock the test moves.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DeviceEnrollmentTests : IAsyncLifetime
{
    private const string Password = "pw-enroll-1";
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly TempDirectory _state = new("hzn-enroll-agent");
    private ExchangeServer? _exchange;
    private string _org = "";

    private ExchangeServer Exchange => _exchange!;

    public async Task InitializeAsync()
    {
        _exchange = await ExchangeServer.StartAsync(services: s => s.AddSingleton<TimeProvider>(_clock));
        _org = $"enr{Guid.NewGuid():N}"[..16];
        await Exchange.Root.PutOrgAsync(_org, new ExchangeOrg { Label = "enrollment" });
        await Exchange.Root.PutUserAsync(_org, "admin", new ExchangeUser { Password = Password, Admin = true });
    }

    public async Task DisposeAsync()
    {
        await Exchange.DisposeAsync();
        _state.Dispose();
    }

    private DeviceEnrollment Agent(HttpClient http) => new(http, _org, _state.Combine("enrollment"), TimeProvider.System);

    private async Task<string> PendingIdAsync(ExchangeClient admin)
    {
        for (var i = 0; i < 200; i++)
        {
            if (await admin.ListEnrollmentsAsync(_org, "pending") is [var request, ..])
            {
                return request.Id!;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("the agent's request never appeared");
    }

    [Fact]
    public async Task Agent_WaitsForApproval_StoresItsCertificate_RenewsIt_AndStopsRenewingOnceRevoked()
    {
        var admin = Exchange.Client(_org, "admin", Password);
        using var voucher = await EnrollmentCredentials.CreateAsync(admin, _org);
        using var device = new EnrollingDevice(voucher);
        using var http = Exchange.Http();
        var agent = Agent(http);
        var enrolling = agent.EnrollAsync(voucher, device.PublicKey, device.EncryptionKey, device.Facts, TimeSpan.FromMilliseconds(100));

        var id = await PendingIdAsync(admin);
        Assert.False(enrolling.IsCompleted);
        await admin.ApproveEnrollmentAsync(_org, id, new EnrollmentApproval { Node = "dev1" });
        Assert.Equal("dev1", await enrolling.WaitAsync(TimeSpan.FromSeconds(60)));

        var directory = _state.Combine("enrollment");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory, DeviceEnrollment.KeyFile)));
        using (var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(agent.CertificatePath)))
        {
            Assert.Equal($"{_org}/dev1", certificate.GetNameInfo(X509NameType.SimpleName, false));
        }
        var firstKey = File.ReadAllText(Path.Combine(directory, DeviceEnrollment.KeyFile));

        var early = await Assert.ThrowsAsync<HttpRequestException>(() => agent.RenewAsync("dev1", device.MachineId, device.PublicKey, device.EncryptionKey));
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        _clock.Set(agent.RenewalDue().AddMinutes(1));
        await agent.RenewAsync("dev1", device.MachineId, device.PublicKey, device.EncryptionKey);
        Assert.NotEqual(firstKey, File.ReadAllText(Path.Combine(directory, DeviceEnrollment.KeyFile)));
        Assert.True(agent.RenewalDue() > _clock.GetUtcNow());

        using var revoke = new HttpRequestMessage(HttpMethod.Post, $"orgs/{_org}/nodes/dev1/certificate/revoke")
        {
            Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json"),
        };
        revoke.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{_org}/admin:{Password}")));
        using (var revoked = await http.SendAsync(revoke))
        {
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        }
        _clock.Set(agent.RenewalDue().AddMinutes(1));
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => agent.RenewAsync("dev1", device.MachineId, device.PublicKey, device.EncryptionKey));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task Agent_WhoseRequestIsDenied_StopsWaiting_AndStoresNoCertificate()
    {
        var admin = Exchange.Client(_org, "admin", Password);
        using var voucher = await EnrollmentCredentials.CreateAsync(admin, _org);
        using var device = new EnrollingDevice(voucher);
        using var http = Exchange.Http();
        var agent = Agent(http);
        var enrolling = agent.EnrollAsync(voucher, device.PublicKey, device.EncryptionKey, device.Facts, TimeSpan.FromMilliseconds(100));
        await admin.DenyEnrollmentAsync(_org, await PendingIdAsync(admin), new EnrollmentDenial { Reason = "unknown" });
        var denied = await Assert.ThrowsAsync<EnrollmentDeniedException>(() => enrolling.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("unknown", denied.Message, StringComparison.Ordinal);
        Assert.False(agent.Enrolled);
    }

    [Fact]
    public void Facts_ReadFromTheSystem_NameArchCpusAndMemory()
    {
        var facts = DeviceFacts.Read();
        Assert.False(string.IsNullOrEmpty(facts.Arch));
        Assert.True(facts.Cpus > 0 && facts.MemoryMb > 0);
    }
}
