using System.Security.Cryptography.X509Certificates;
using Horizon.EndToEnd.Tests.Support;
using Horizon.Exchange.Client;

namespace Horizon.EndToEnd.Tests;

/// <summary>
/// A node agent process that has never been seen enrolls with an enrollment certificate made by hzn, is approved by an
/// auto-approval rule, and from then on talks to the exchange over mTLS with its device certificate only: heartbeats,
/// an agreement, a renewal — until its certificates are revoked.
/// </summary>
[Collection(EndToEndTests.Name)]
public sealed class EnrollmentEndToEndTests(InstallationFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private HorizonInstallation Installation => fixture.Installation;

    [Fact]
    public async Task AnEnrollingAgent_IsAutoApproved_GetsAnAgreementOverMutualTls_RenewsItsCertificate_AndIsShutOutOnceRevoked()
    {
        await using var site = await Installation.CreateSiteAsync();
        await HelloEdgeSample.PublishAsync(site);
        // An enrolled node has no user input of its own: the pattern gives the producer its HELLO_MESSAGE.
        var sample = Directory.CreateDirectory(Path.Combine(site.Folder, "hello-edge-with-input")).FullName;
        System.IO.File.Copy(HelloEdgeSample.File("hzn.json"), Path.Combine(sample, "hzn.json"));
        var pattern = Path.Combine(sample, "pattern.json");
        await File.WriteAllTextAsync(pattern, (await File.ReadAllTextAsync(HelloEdgeSample.File("pattern.json"))).Replace("\"userInput\": []",
            "\"userInput\": [{ \"serviceOrgid\": \"$HZN_ORG_ID\", \"serviceUrl\": \"$PRODUCER_NAME\", \"serviceVersionRange\": \"[1.0.0,2.0.0)\", " +
            "\"inputs\": [{ \"name\": \"HELLO_MESSAGE\", \"value\": \"hello from an enrolled node\" }] }]", StringComparison.Ordinal));
        await site.Hzn.RunCheckedAsync(["exchange", "pattern", "publish", "-f", pattern]);
        var certificates = Path.Combine(site.Folder, "enrollment-files");
        await site.Hzn.RunCheckedAsync(["exchange", "org", "enrollmentcert", "create", "factory", "--dir", certificates]);
        await site.Hzn.RunCheckedAsync(["exchange", "org", "enrollmentrule", "add", "lab", "--enrollment-cert", "factory", "--node-prefix", "lab-", "--pattern", HelloEdgeSample.Pattern]);
        await site.StartAgbotAsync();
        await site.StartNodeAgentAsync(new Dictionary<string, string>
        {
            // No node id, no token: the approval names the node, the device certificate is the credential.
            ["NodeAgent__NodeId"] = "",
            ["NodeAgent__Organization"] = "",
            ["NodeAgent__ExchangeUrl"] = Installation.ExchangeHttpsUrl,
            ["NodeAgent__HeartbeatInterval"] = "00:00:01",
            ["NodeAgent__Enrollment__Org"] = site.Org,
            ["NodeAgent__Enrollment__CertificateFile"] = Path.Combine(certificates, "enrollment.crt"),
            ["NodeAgent__Enrollment__KeyFile"] = Path.Combine(certificates, "enrollment.key"),
            ["NodeAgent__Enrollment__CaFile"] = Path.Combine(certificates, "ca.crt"),
            ["NodeAgent__Enrollment__MachineId"] = "m0001",
        });
        using var admin = new ExchangeClient(new Uri(Installation.ExchangeUrl), new ExchangeCredentials(site.Org, site.PublisherUser, site.PublisherPassword));

        var node = await Eventually.ReachedAsync("the enrolled node lab-m0001 heartbeats", async () =>
            (await admin.GetNodeAsync(site.Org, "lab-m0001")) is { LastHeartbeat.Length: > 0 } n ? n : null, site, Patience);
        Assert.Equal($"{site.Org}/{HelloEdgeSample.Pattern}", node.Pattern);
        var request = Assert.Single(await admin.ListEnrollmentsAsync(site.Org, "approved"));
        Assert.Equal("rule:lab", request.DecidedBy);
        await Eventually.TrueAsync("the agbot and the enrolled node finalize an agreement", async () =>
            (await site.AgbotAgreementsAsync()).Any(a => a.GetProperty("status").GetString() == "active"), site, Patience);
        await Eventually.TrueAsync("the hello-edge containers run on the enrolled node", async () =>
            (await site.RunningContainersAsync()).Any(n => n.EndsWith("-hello-consumer", StringComparison.Ordinal)), site, Patience);

        // The installation's certificates live a minute: the agent renews at two thirds, on a new key.
        var deviceCertificate = Path.Combine(site.NodeAgentState, "enrollment", "device.crt");
        var firstSerial = Serial(deviceCertificate);
        await Eventually.TrueAsync("the agent renews its device certificate", () => Task.FromResult(Serial(deviceCertificate) != firstSerial), site, Patience, TimeSpan.FromSeconds(1));
        Assert.Contains(await admin.GetEnrollmentAuditAsync(site.Org), e => e.Decision == "renewed" && e.Node == "lab-m0001");
        var beatAfterRenewal = (await admin.GetNodeAsync(site.Org, "lab-m0001")).LastHeartbeat;
        await Eventually.TrueAsync("the node heartbeats with its renewed certificate", async () =>
            (await admin.GetNodeAsync(site.Org, "lab-m0001")).LastHeartbeat != beatAfterRenewal, site, TimeSpan.FromSeconds(30));

        // hzn register on an enrolled node: a clear refusal from hzn (it asks the agent first), and from the agent for any other client.
        var register = await site.Hzn.RunAsync(["register", "-p", HelloEdgeSample.Pattern]);
        Assert.True(register.ExitCode == 4 && register.StandardError.Contains($"enrolled as {site.Org}/lab-m0001", StringComparison.Ordinal), register.ToString());
        var withToken = await site.Hzn.RunAsync(["register", "-n", "lab-m0001:some-token", "-p", HelloEdgeSample.Pattern]);
        Assert.True(withToken.ExitCode == 4 && withToken.StandardError.Contains("takes no hzn register", StringComparison.Ordinal), withToken.ToString());
        using (var agent = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{site.NodeAgentPort}/") })
        {
            using var info = System.Text.Json.JsonDocument.Parse(await agent.GetStringAsync("node"));
            Assert.True(info.RootElement.GetProperty("enrolled").GetBoolean());
            var ownerToken = (await File.ReadAllTextAsync(info.RootElement.GetProperty("localApiTokenFile").GetString()!)).Trim();
            using var post = new HttpRequestMessage(HttpMethod.Post, "node")
            {
                Content = new StringContent($$"""{"id":"lab-m0001","org":"{{site.Org}}","token":"some-token","pattern":"{{site.Org}}/{{HelloEdgeSample.Pattern}}"}""",
                    System.Text.Encoding.UTF8, "application/json"),
            };
            post.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ownerToken);
            using var refused = await agent.SendAsync(post);
            Assert.Equal(System.Net.HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("takes no hzn register", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await site.Hzn.RunCheckedAsync(["exchange", "node", "revokecert", "lab-m0001", "--reason", "stolen"]);
        // Its NATS access ends too: the switchboard revokes its user key on the exchange's change notification.
        await Eventually.TrueAsync("the switchboard revokes the node's NATS access", () =>
            Task.FromResult(site.Diagnostics().Contains($"Revoking the NATS access of node:{site.Org}/lab-m0001", StringComparison.Ordinal)), site, TimeSpan.FromSeconds(15));
        await Task.Delay(TimeSpan.FromSeconds(3));
        var lastBeat = (await admin.GetNodeAsync(site.Org, "lab-m0001")).LastHeartbeat;
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Equal(lastBeat, (await admin.GetNodeAsync(site.Org, "lab-m0001")).LastHeartbeat);
        Assert.Contains("were revoked", site.Diagnostics(), StringComparison.Ordinal);
        output.WriteLine(site.Diagnostics());
    }

    private static string Serial(string path)
    {
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(path));
        return certificate.SerialNumber;
    }
}
