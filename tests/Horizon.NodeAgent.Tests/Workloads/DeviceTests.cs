using Horizon.Agreements;
using Horizon.NodeAgent.State;
using Horizon.NodeAgent.Tests.Support;
using Horizon.Testing;
using Horizon.Testing.Docker;
using Horizon.Testing.Registry;
using Xunit;

namespace Horizon.NodeAgent.Tests.Workloads;

/// <summary>
/// A deployment's <c>devices</c> reach the container on the real engine; a device this node does not
/// have, or an entry that is no device path, starts nothing and says which entry it was.
/// </summary>
[Collection(EngineTests.Name)]
public sealed class DeviceTests(DockerFixture docker, RegistryFixture registry) : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _state = new("hzn-devices");
    private string _image = "";

    public async Task InitializeAsync() => _image = await Images.PublishAsync(registry.Server, $"dev-{Guid.NewGuid():N}"[..22]);

    public async Task DisposeAsync() => await Images.ForgetAsync(docker, _image);

    public void Dispose() => _state.Dispose();

    [Fact]
    public async Task Devices_AreGivenToTheContainer_WithTheirContainerPathAndPermissions()
    {
        await using var agent = await AgentHarness.CreateAsync(docker, registry, _state.Path);
        var service = Services.Service("devices.test", WithDevices("reader", "/dev/zero:/dev/hzn-zero:r", "/dev/null"));
        var agreementId = AgreementId.New();

        var outcome = await agent.Lifecycle.StartAsync(agreementId, Services.Terms(service), agent.Credentials);
        var container = Assert.Single(await DockerProbe.ContainersOfAsync(docker, agreementId));
        var mapped = (await DockerProbe.InspectAsync(docker, container,
            "{{range .HostConfig.Devices}}{{.PathOnHost}}>{{.PathInContainer}}:{{.CgroupPermissions}} {{end}}")).Trim();
        var read = await docker.Cli.RunAsync(["exec", container, "sh", "-c", "test -c /dev/hzn-zero && head -c 4 /dev/hzn-zero | wc -c"]);
        await agent.Lifecycle.CancelAsync(agreementId, CancelReason.AgbotRequested);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Equal("/dev/zero>/dev/hzn-zero:r /dev/null>/dev/null:rwm", mapped);
        Assert.Equal("4", read.StandardOutput.Trim());
    }

    [Fact]
    public async Task DeviceMissingOnTheNode_EndsTheAgreementWith103_NamingTheEntry_AndCreatesNothing()
    {
        await using var agent = await AgentHarness.CreateAsync(docker, registry, _state.Path);
        var service = Services.Service("nodevice.test", WithDevices("reader", "/dev/null", "/dev/hzn-no-such-device"));
        var agreementId = AgreementId.New();

        var outcome = await agent.Lifecycle.StartAsync(agreementId, Services.Terms(service), agent.Credentials);

        Assert.Equal(AgreementState.Failed, outcome.State);
        Assert.Equal(CancelReason.ContainerFailure, outcome.Reason);
        Assert.Contains("services.reader.devices[1]: /dev/hzn-no-such-device does not exist on this node", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(await DockerProbe.ContainersOfAsync(docker, agreementId));
        Assert.Equal(103, Assert.Single((await agent.Outbox.ListDueAsync()).Select(o => o.Message).OfType<CancelAgreement>()).Reason);
    }

    [Theory]
    [InlineData("/dev/../etc/shadow")]
    [InlineData("/etc/passwd")]
    [InlineData("/dev/null:dev/null")]
    [InlineData("/dev/null:/dev/x:rwx")]
    public async Task DeviceEntryThatIsNoDevicePath_IsRefusedWith112_NamingIt(string entry)
    {
        await using var agent = await AgentHarness.CreateAsync(docker, registry, _state.Path);
        var service = Services.Service("baddevice.test", WithDevices("reader", entry));
        var agreementId = AgreementId.New();

        var outcome = await agent.Lifecycle.StartAsync(agreementId, Services.Terms(service), agent.Credentials);

        Assert.Equal(AgreementState.Failed, outcome.State);
        Assert.Equal(CancelReason.ImageDataError, outcome.Reason);
        Assert.Contains($"services.reader.devices[0]: \"{entry}\" is not", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(await DockerProbe.ContainersOfAsync(docker, agreementId));
    }

    private string WithDevices(string name, params string[] devices)
    {
        var deployment = System.Text.Json.Nodes.JsonNode.Parse(Services.Deployment((name, _image, Services.Sleeper())))!;
        deployment["services"]![name]!["devices"] = new System.Text.Json.Nodes.JsonArray([.. devices.Select(d => System.Text.Json.Nodes.JsonValue.Create(d))]);
        return deployment.ToJsonString();
    }
}
