using System.Globalization;
using System.Text.Json.Nodes;
using Horizon.Agreements;
using Horizon.NodeAgent.State;
using Horizon.NodeAgent.Tests.Support;
using Horizon.Testing;
using Horizon.Testing.Docker;
using Horizon.Testing.Registry;
using Xunit;

namespace Horizon.NodeAgent.Tests.Workloads;

/// <summary>
/// Open Horizon deployment fields the agent passes to Docker — <c>cap_add</c>, <c>user</c>,
/// <c>tmpfs</c>, <c>log_driver</c> — seen on the real engine by inspecting the container and from
/// inside it; malformed values start nothing and name the field.
/// </summary>
[Collection(EngineTests.Name)]
public sealed class DeploymentFieldTests(DockerFixture docker, RegistryFixture registry) : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _state = new("hzn-fields");
    private string _image = "";

    public async Task InitializeAsync() => _image = await Images.PublishAsync(registry.Server, $"fields-{Guid.NewGuid():N}"[..22]);

    public async Task DisposeAsync() => await Images.ForgetAsync(docker, _image);

    public void Dispose() => _state.Dispose();

    [Fact]
    public async Task CapAddUserTmpfsAndLogDriver_ReachTheContainer()
    {
        await using var agent = await AgentHarness.CreateAsync(docker, registry, _state.Path);
        var deployment = JsonNode.Parse(Services.Deployment(("capped", _image, Services.Sleeper()), ("plain", _image, Services.Sleeper())))!;
        // Open Horizon's spellings: lower case and the CAP_ prefix are accepted, as Docker accepts them.
        deployment["services"]!["capped"]!["cap_add"] = new JsonArray("sys_nice", "CAP_NET_BIND_SERVICE");
        deployment["services"]!["plain"]!["user"] = "1000:1000";
        deployment["services"]!["plain"]!["tmpfs"] = new JsonObject { ["/scratch"] = "size=1m,uid=1000,mode=700" };
        deployment["services"]!["plain"]!["log_driver"] = "local";
        var service = Services.Service("fields.test", deployment.ToJsonString());
        var agreementId = AgreementId.New();

        var outcome = await agent.Lifecycle.StartAsync(agreementId, Services.Terms(service), agent.Credentials);
        var containers = await ByNameAsync(agreementId);
        var capped = containers["capped"];
        var plain = containers["plain"];
        var capAdd = (await DockerProbe.InspectAsync(docker, capped, "{{json .HostConfig.CapAdd}}")).Trim();
        var effective = await docker.Cli.RunAsync(["exec", capped, "sh", "-c", "grep CapEff /proc/1/status"]);
        var user = (await DockerProbe.InspectAsync(docker, plain, "{{.Config.User}}")).Trim();
        var uids = await docker.Cli.RunAsync(["exec", plain, "sh", "-c", "grep Uid /proc/1/status"]);
        var tmpfs = (await DockerProbe.InspectAsync(docker, plain, "{{json .HostConfig.Tmpfs}}")).Trim();
        var mounted = await docker.Cli.RunAsync(["exec", plain, "sh", "-c", "grep ' /scratch ' /proc/mounts && echo hi > /scratch/f && cat /scratch/f"]);
        var logDriver = (await DockerProbe.InspectAsync(docker, plain, "{{.HostConfig.LogConfig.Type}}")).Trim();
        await agent.Lifecycle.CancelAsync(agreementId, CancelReason.AgbotRequested);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Equal("""["SYS_NICE","NET_BIND_SERVICE"]""", capAdd);
        // CAP_SYS_NICE is bit 23, outside Docker's default set: the container's first process holds it.
        var capEff = ulong.Parse(effective.StandardOutput.Split(':')[1].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        Assert.True((capEff & (1UL << 23)) != 0, effective.StandardOutput);
        Assert.Equal("1000:1000", user);
        Assert.Matches(@"^Uid:\s+1000\s+1000\s+1000\s+1000", uids.StandardOutput.Trim());
        Assert.Equal("""{"/scratch":"size=1m,uid=1000,mode=700"}""", tmpfs);
        Assert.True(mounted.ExitCode == 0, mounted.StandardError);
        Assert.StartsWith("tmpfs /scratch tmpfs", mounted.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("size=1024k", mounted.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("mode=700,uid=1000", mounted.StandardOutput, StringComparison.Ordinal);
        Assert.EndsWith("hi", mounted.StandardOutput.Trim(), StringComparison.Ordinal);
        Assert.Equal("local", logDriver);
    }

    [Fact]
    public async Task LogDriverTheEngineLacks_EndsTheAgreementWith103_NamingIt()
    {
        await using var agent = await AgentHarness.CreateAsync(docker, registry, _state.Path);
        var service = Services.Service("nodriver.test", With("w", "log_driver", JsonValue.Create("hzn-no-such-driver")));
        var agreementId = AgreementId.New();

        var outcome = await agent.Lifecycle.StartAsync(agreementId, Services.Terms(service), agent.Credentials);

        Assert.Equal(AgreementState.Failed, outcome.State);
        Assert.Equal(CancelReason.ContainerFailure, outcome.Reason);
        Assert.Contains("hzn-no-such-driver", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(await DockerProbe.ContainersOfAsync(docker, agreementId));
    }

    [Theory]
    [InlineData("cap_add", """["NET_BIND_SERVICE", "SYS_EVERYTHING"]""", "services.w.cap_add[1]: \"SYS_EVERYTHING\" is not a Linux capability")]
    [InlineData("user", "\"root;reboot\"", "services.w.user: \"root;reboot\" is not user[:group]")]
    [InlineData("tmpfs", """{"scratch": ""}""", "services.w.tmpfs: \"scratch\" is not an absolute container path")]
    [InlineData("tmpfs", """{"/a/../etc": ""}""", "services.w.tmpfs: \"/a/../etc\" is not an absolute container path")]
    [InlineData("tmpfs", """{"/scratch": "size=1m,exec;x"}""", "services.w.tmpfs./scratch: \"exec;x\" is not a tmpfs option")]
    [InlineData("log_driver", "\"../syslog\"", "services.w.log_driver: \"../syslog\" is not a log driver name")]
    public async Task MalformedField_IsRefusedWith112_NamingIt(string field, string value, string expected)
    {
        await using var agent = await AgentHarness.CreateAsync(docker, registry, _state.Path);
        var service = Services.Service("badfield.test", With("w", field, JsonNode.Parse(value)));
        var agreementId = AgreementId.New();

        var outcome = await agent.Lifecycle.StartAsync(agreementId, Services.Terms(service), agent.Credentials);

        Assert.Equal(AgreementState.Failed, outcome.State);
        Assert.Equal(CancelReason.ImageDataError, outcome.Reason);
        Assert.Contains(expected, outcome.Message, StringComparison.Ordinal);
        Assert.Empty(await DockerProbe.ContainersOfAsync(docker, agreementId));
    }

    private string With(string name, string field, JsonNode? value)
    {
        var deployment = JsonNode.Parse(Services.Deployment((name, _image, Services.Sleeper())))!;
        deployment["services"]![name]![field] = value;
        return deployment.ToJsonString();
    }

    private async Task<Dictionary<string, string>> ByNameAsync(string agreementId)
    {
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in await DockerProbe.ContainersOfAsync(docker, agreementId))
        {
            byName[(await DockerProbe.InspectAsync(docker, id, "{{index .Config.Labels \"" + Horizon.NodeAgent.Workloads.WorkloadLabels.ContainerName + "\"}}")).Trim()] = id;
        }
        return byName;
    }
}
