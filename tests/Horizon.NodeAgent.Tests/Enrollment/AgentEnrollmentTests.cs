using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Horizon.Exchange.Client;
using Horizon.Hosting.Settings;
using Horizon.NodeAgent.Enrollment;
using Horizon.NodeAgent.Hosting;
using Horizon.Testing;
using Horizon.Testing.Exchange;
using Xunit;

namespace Horizon.NodeAgent.Tests.Enrollment;

/// <summary>
/// The agent's enrollment step (<see cref="AgentEnrollment"/>) against a real exchange over HTTPS: settings, the CA
/// bundle as the only trust, the wait for a decision, and the node id it learns from its certificate.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class AgentEnrollmentTests : IAsyncLifetime
{
    private const string Password = "pw-enroll-1";
    private readonly TempDirectory _files = new("hzn-agent-enroll");
    private ExchangeServer? _exchange;
    private string _org = "";

    private ExchangeServer Exchange => _exchange!;

    private ExchangeClient Admin => Exchange.Client(_org, "admin", Password);

    public async Task InitializeAsync()
    {
        _exchange = await ExchangeServer.StartAsync(https: true);
        _org = $"agt{Guid.NewGuid():N}"[..16];
        await Exchange.Root.PutOrgAsync(_org, new ExchangeOrg { Label = "agent enrollment" });
        await Exchange.Root.PutUserAsync(_org, "admin", new ExchangeUser { Password = Password, Admin = true });
        // As `hzn exchange org enrollmentcert create factory --dir …` writes them.
        var (key, csr) = EnrollmentCredential.NewOrder("factory");
        using (key)
        {
            var issued = await Admin.CreateEnrollmentCertificateAsync(_org, new EnrollmentCertificateOrder { Name = "factory", Csr = csr });
            File.WriteAllText(_files.Combine("enrollment.crt"), issued.Certificate);
            File.WriteAllText(_files.Combine("enrollment.key"), key.ExportPkcs8PrivateKeyPem());
            File.SetUnixFileMode(_files.Combine("enrollment.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.WriteAllText(_files.Combine("ca.crt"), Exchange.DeviceCa.ExportCertificatePem());
    }

    public async Task DisposeAsync()
    {
        await Exchange.DisposeAsync();
        _files.Dispose();
    }

    private string[] Args(string state, params string[] more) =>
    [
        $"--NodeAgent:StateDirectory={state}",
        $"--NodeAgent:ExchangeUrl={Exchange.HttpsBaseUrl}",
        $"--NodeAgent:Enrollment:Org={_org}",
        $"--NodeAgent:Enrollment:CertificateFile={_files.Combine("enrollment.crt")}",
        $"--NodeAgent:Enrollment:KeyFile={_files.Combine("enrollment.key")}",
        $"--NodeAgent:Enrollment:CaFile={_files.Combine("ca.crt")}",
        "--NodeAgent:Enrollment:PollInterval=00:00:00.100",
        "--Logging:LogLevel:Default=Warning",
        .. more,
    ];

    [Fact]
    public async Task WithAnAutoApprovalRule_TheAgentEnrolls_AndTakesItsNodeIdFromItsCertificate()
    {
        await Admin.AddEnrollmentRuleAsync(_org, new EnrollmentRule { Name = "lab", EnrollmentCertificate = "factory", NodePrefix = "lab-" });
        var state = _files.Combine("state-rule");
        Assert.True(await AgentEnrollment.RunAsync(Args(state, "--NodeAgent:Enrollment:MachineId=m0001", "--NodeAgent:Enrollment:Labels:zone=north")));

        var folder = new EnrollmentFolder(state);
        Assert.True(folder.Enrolled);
        Assert.Equal((_org, "lab-m0001"), folder.EnrolledAs());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(folder.KeyPath));
        var request = Assert.Single(await Admin.ListEnrollmentsAsync(_org, "approved"));
        Assert.Equal("north", request.Facts!.Labels!["zone"]);
        var options = new NodeAgentOptions { StateDirectory = state, ExchangeUrl = Exchange.HttpsBaseUrl!.ToString() };
        options.Enrollment.Org = _org;
        options.Enrollment.CaFile = _files.Combine("ca.crt");
        AgentEnrollment.ApplyEnrolledIdentity(options);
        Assert.Equal(("lab-m0001", _org), (options.NodeId, options.Organization));

        // Enrolled: a second start submits nothing.
        Assert.True(await AgentEnrollment.RunAsync(Args(state)));
        Assert.Single(await Admin.ListEnrollmentsAsync(_org));
    }

    [Fact]
    public async Task WithoutARule_TheAgentWaitsForAnAdminsApproval()
    {
        var state = _files.Combine("state-manual");
        var enrolling = AgentEnrollment.RunAsync(Args(state, "--NodeAgent:Enrollment:MachineId=m0002"));
        EnrollmentRequest? pending = null;
        for (var i = 0; i < 200 && pending is null; i++)
        {
            pending = await Admin.ListEnrollmentsAsync(_org, "pending") is [var first, ..] ? first : null;
            await Task.Delay(50);
        }
        Assert.NotNull(pending);
        await Task.Delay(300);
        Assert.False(enrolling.IsCompleted);
        await Admin.ApproveEnrollmentAsync(_org, pending.Id!, new EnrollmentApproval { Node = "dev7" });
        Assert.True(await enrolling.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal((_org, "dev7"), new EnrollmentFolder(state).EnrolledAs());
    }

    [Fact]
    public async Task ADenial_StopsTheAgent_SayingHowToAskAgain()
    {
        var state = _files.Combine("state-denied");
        var enrolling = AgentEnrollment.RunAsync(Args(state, "--NodeAgent:Enrollment:MachineId=m0003"));
        EnrollmentRequest? pending = null;
        for (var i = 0; i < 200 && pending is null; i++)
        {
            pending = await Admin.ListEnrollmentsAsync(_org, "pending") is [var first, ..] ? first : null;
            await Task.Delay(50);
        }
        await Admin.DenyEnrollmentAsync(_org, pending!.Id!, new EnrollmentDenial { Reason = "not ours" });
        var failure = await Assert.ThrowsAsync<InvalidSettingsException>(() => enrolling.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("not ours", failure.Message, StringComparison.Ordinal);
        Assert.Contains("device.key", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACaBundleThatDoesNotVouchForTheExchange_StopsTheAgent_NamingTheFile()
    {
        var now = DateTimeOffset.UtcNow;
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Horizon device CA", otherKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForCertificateAuthority(0));
        using var other = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        var wrong = _files.Combine("other-ca.crt");
        File.WriteAllText(wrong, other.ExportCertificatePem());
        var failure = await Assert.ThrowsAsync<InvalidSettingsException>(() =>
            AgentEnrollment.RunAsync(Args(_files.Combine("state-wrong-ca"), $"--NodeAgent:Enrollment:CaFile={wrong}")));
        Assert.Contains(wrong, failure.Message, StringComparison.Ordinal);
        Assert.Empty(await Admin.ListEnrollmentsAsync(_org));
    }

    [Fact]
    public async Task ABundleThatIsNoCa_StopsTheAgent_NamingTheFile()
    {
        var notCa = _files.Combine("not-a-ca.crt");
        File.WriteAllText(notCa, File.ReadAllText(_files.Combine("enrollment.crt")));
        var failure = await Assert.ThrowsAsync<InvalidSettingsException>(() =>
            AgentEnrollment.RunAsync(Args(_files.Combine("state-not-ca"), $"--NodeAgent:Enrollment:CaFile={notCa}")));
        Assert.Contains(notCa, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlainHttp_IsRefused_NamingTheSetting()
    {
        var failure = await Assert.ThrowsAsync<InvalidSettingsException>(() =>
            AgentEnrollment.RunAsync(Args(_files.Combine("state-http"), $"--NodeAgent:ExchangeUrl={Exchange.BaseUrl}")));
        Assert.Contains("NodeAgent:ExchangeUrl", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AConfiguredNodeIdOtherThanTheEnrolledOne_IsRefused()
    {
        await Admin.AddEnrollmentRuleAsync(_org, new EnrollmentRule { Name = "lab2", EnrollmentCertificate = "factory", NodePrefix = "lab-" });
        var state = _files.Combine("state-other-id");
        Assert.True(await AgentEnrollment.RunAsync(Args(state, "--NodeAgent:Enrollment:MachineId=m0004")));
        var failure = Assert.Throws<InvalidSettingsException>(() => NodeAgentApplication.Build(Args(state, "--NodeAgent:NodeId=node9")));
        Assert.Contains("NodeAgent:NodeId", failure.Message, StringComparison.Ordinal);
    }
}
