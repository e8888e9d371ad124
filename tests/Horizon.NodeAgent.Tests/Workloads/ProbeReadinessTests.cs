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
/// A dependency that declares a TCP or HTTP readiness probe, on the real engine with busybox: its
/// dependents start only once the agent reaches the port (or gets a 2xx for the path), and one that
/// never becomes ready ends the agreement with 108, the eventlog naming it and what the probe saw.
/// </summary>
[Collection(EngineTests.Name)]
public sealed class ProbeReadinessTests(DockerFixture docker, RegistryFixture registry) : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _state = new("hzn-probe");
    private string _image = "";

    public async Task InitializeAsync() => _image = await Images.PublishAsync(registry.Server, $"probe-{Guid.NewGuid():N}"[..22]);

    public async Task DisposeAsync() => await Images.ForgetAsync(docker, _image);

    public void Dispose() => _state.Dispose();

    [Fact]
    public async Task Consumer_StartsOnlyAfterItsDependencyOpensItsTcpPort()
    {
        await using var agent = await AgentHarness.CreateAsync(docker, registry, _state.Path);
        // Listens on 7000 only two seconds after its start.
        var producer = Services.Service("late-tcp.test", WithReadiness("late", ["sh", "-c", "sleep 2; mkdir -p /tmp/w; exec httpd -f -p 7000 -h /tmp/w"],
            new JsonObject { ["tcp"] = new JsonObject { ["port"] = 7000 }, ["interval"] = 0.2 }));
        var consumer = Services.Service("after-tcp.test", Services.Deployment(("after", _image, Services.Sleeper())), requires: producer);
        var agreementId = AgreementId.New();

        var outcome = await agent.Lifecycle.StartAsync(agreementId, Services.Terms(consumer, producer), agent.Credentials);
        var started = await StartTimesAsync(agreementId);
        var events = (await agent.EventLog.QueryAsync(agreementId));
        await agent.Lifecycle.CancelAsync(agreementId, CancelReason.AgbotRequested);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.True(started["after"] >= started["late"].AddSeconds(2), $"the consumer started at {started["after"]:O}, the dependency at {started["late"]:O}");
        var ready = Assert.Single(events, e => e.Kind == "service.ready");
        Assert.Contains("acme/late-tcp.test", ready.Message, StringComparison.Ordinal);
        Assert.Contains("tcp 7000 accepts", ready.Message, StringComparison.Ordinal);
        Assert.True(ready.Sequence < events.Single(e => e.Kind == "container.started" && e.Message.Contains("after", StringComparison.Ordinal)).Sequence);
    }

    [Fact]
    public async Task Consumer_StartsOnlyAfterItsDependencyAnswersItsHttpPathWith200()
    {
        await using var agent = await AgentHarness.CreateAsync(docker, registry, _state.Path);
        // httpd answers at once, but 404 for /ready until the file appears two seconds later: a TCP probe would pass too early.
        var producer = Services.Service("late-http.test", WithReadiness("web", ["sh", "-c", "mkdir -p /tmp/w; (sleep 2; echo ok > /tmp/w/ready) & exec httpd -f -p 8080 -h /tmp/w"],
            new JsonObject { ["http"] = new JsonObject { ["port"] = 8080, ["path"] = "/ready" }, ["interval"] = 0.2 }));
        var consumer = Services.Service("after-http.test", Services.Deployment(("reader", _image, Services.Sleeper())), requires: producer);
        var agreementId = AgreementId.New();

        var outcome = await agent.Lifecycle.StartAsync(agreementId, Services.Terms(consumer, producer), agent.Credentials);
        var started = await StartTimesAsync(agreementId);
        var ready = (await agent.EventLog.QueryAsync(agreementId)).Single(e => e.Kind == "service.ready");
        await agent.Lifecycle.CancelAsync(agreementId, CancelReason.AgbotRequested);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.True(started["reader"] >= started["web"].AddSeconds(2), $"the consumer started at {started["reader"]:O}, the dependency at {started["web"]:O}");
        Assert.Contains("http 8080/ready answers", ready.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tcp", "connection refused")]
    [InlineData("http", "answered 404")]
    public async Task DependencyThatNeverBecomesReady_EndsTheAgreementWith108_TheEventlogNamingItAndWhatTheProbeSaw(string kind, string seen)
    {
        await using var agent = await AgentHarness.CreateAsync(docker, registry, _state.Path);
        // httpd on 8080 with nothing to serve: port 7000 never opens, /ready is always 404.
        JsonObject probe = kind == "tcp"
            ? new() { ["tcp"] = new JsonObject { ["port"] = 7000 }, ["interval"] = 0.3 }
            : new() { ["http"] = new JsonObject { ["port"] = 8080, ["path"] = "/ready" }, ["interval"] = 0.3 };
        var producer = Services.Service($"never-{kind}.test", WithReadiness("mute", ["sh", "-c", "mkdir -p /tmp/w; exec httpd -f -p 8080 -h /tmp/w"], probe));
        var consumer = Services.Service("waits.test", Services.Deployment(("waits", _image, Services.Sleeper())), requires: producer);
        var agreementId = AgreementId.New();

        var outcome = await agent.Lifecycle.StartAsync(agreementId, Services.Terms(consumer, producer), agent.Credentials);

        Assert.Equal(AgreementState.Failed, outcome.State);
        Assert.Equal(CancelReason.DependencyFailure, outcome.Reason);
        var events = (await agent.EventLog.QueryAsync(agreementId));
        var notReady = Assert.Single(events, e => e.Kind == "service.not-ready");
        Assert.Equal(108, notReady.Reason);
        Assert.Contains($"dependency acme/never-{kind}.test", notReady.Message, StringComparison.Ordinal);
        Assert.Contains(seen, notReady.Message, StringComparison.Ordinal);
        Assert.Contains(events, e => e.Kind == "agreement.failed" && e.Reason == 108 && e.Message.Contains($"never-{kind}.test", StringComparison.Ordinal));
        Assert.DoesNotContain(events, e => e.Kind == "container.started" && e.Message.Contains("waits", StringComparison.Ordinal));
        Assert.Equal(108, Assert.Single((await agent.Outbox.ListDueAsync()).Select(o => o.Message).OfType<CancelAgreement>()).Reason);
        Assert.Empty(await DockerProbe.ContainersOfAsync(docker, agreementId));
    }

    [Theory]
    [InlineData("""{"interval": 1}""", "services.p.readiness: expected exactly one of tcp and http")]
    [InlineData("""{"tcp": {"port": 1}, "http": {"port": 1}}""", "services.p.readiness: expected exactly one of tcp and http")]
    [InlineData("""{"tcp": {"port": 70000}}""", "services.p.readiness.tcp.port: expected a port from 1 to 65535")]
    [InlineData("""{"http": {"port": 80, "path": "ready now"}}""", "services.p.readiness.http.path: \"ready now\" is not an absolute path")]
    [InlineData("""{"tcp": {"port": 80}, "interval": 0}""", "services.p.readiness.interval: expected seconds above 0")]
    public async Task MalformedReadiness_IsRefusedWith112_NamingTheField(string readiness, string expected)
    {
        await using var agent = await AgentHarness.CreateAsync(docker, registry, _state.Path);
        var producer = Services.Service("badprobe.test", WithReadiness("p", Services.Sleeper(), JsonNode.Parse(readiness)!.AsObject()));
        var agreementId = AgreementId.New();

        var outcome = await agent.Lifecycle.StartAsync(agreementId, Services.Terms(producer), agent.Credentials);

        Assert.Equal(AgreementState.Failed, outcome.State);
        Assert.Equal(CancelReason.ImageDataError, outcome.Reason);
        Assert.Contains(expected, outcome.Message, StringComparison.Ordinal);
        Assert.Empty(await DockerProbe.ContainersOfAsync(docker, agreementId));
    }

    private async Task<Dictionary<string, DateTimeOffset>> StartTimesAsync(string agreementId)
    {
        var started = new Dictionary<string, DateTimeOffset>();
        foreach (var id in await DockerProbe.ContainersOfAsync(docker, agreementId))
        {
            var name = (await DockerProbe.InspectAsync(docker, id, "{{index .Config.Labels \"" + WorkloadLabelsContainerName + "\"}}")).Trim();
            started[name] = DateTimeOffset.Parse((await DockerProbe.InspectAsync(docker, id, "{{.State.StartedAt}}")).Trim(), CultureInfo.InvariantCulture);
        }
        return started;
    }

    private const string WorkloadLabelsContainerName = Horizon.NodeAgent.Workloads.WorkloadLabels.ContainerName;

    private string WithReadiness(string name, string[] command, JsonObject readiness)
    {
        var deployment = JsonNode.Parse(Services.Deployment((name, _image, command)))!;
        deployment["services"]![name]!["readiness"] = readiness;
        return deployment.ToJsonString();
    }
}
