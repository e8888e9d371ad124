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
/// A dependency that declares a healthcheck: its dependents start only once it reports healthy,
/// and one that never does ends the agreement with 108, naming it.
/// </summary>
[Collection(EngineTests.Name)]
public sealed class ReadinessTests(DockerFixture docker, RegistryFixture registry) : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _state = new("hzn-ready");
    private string _image = "";

    public async Task InitializeAsync() => _image = await Images.PublishAsync(registry.Server, $"ready-{Guid.NewGuid():N}"[..22]);

    public async Task DisposeAsync() => await Images.ForgetAsync(docker, _image);

    public void Dispose() => _state.Dispose();

    [Fact]
    public async Task Consumer_StartsOnlyAfterItsDependencyReportsHealthy()
    {
        await using var agent = await AgentHarness.CreateAsync(docker, registry, _state.Path);
        // Healthy only once it created /tmp/ready, two seconds after its start.
        var producer = Services.Service("slow.test", WithHealthcheck("slow", ["sh", "-c", "sleep 2; touch /tmp/ready; exec sleep 3600"], ["CMD-SHELL", "test -f /tmp/ready"]));
        var consumer = Services.Service("eager.test", Services.Deployment(("eager", _image, Services.Sleeper())), requires: producer);
        var agreementId = AgreementId.New();

        var outcome = await agent.Lifecycle.StartAsync(agreementId, Services.Terms(consumer, producer), agent.Credentials);
        var started = new Dictionary<string, DateTimeOffset>();
        foreach (var id in await DockerProbe.ContainersOfAsync(docker, agreementId))
        {
            var name = (await DockerProbe.InspectAsync(docker, id, "{{.Name}}")).Trim();
            started[name.Contains("eager", StringComparison.Ordinal) ? "eager" : "slow"] =
                DateTimeOffset.Parse((await DockerProbe.InspectAsync(docker, id, "{{.State.StartedAt}}")).Trim(), CultureInfo.InvariantCulture);
        }
        var kinds = (await agent.EventLog.QueryAsync(agreementId)).Select(e => e.Kind).ToList();
        await agent.Lifecycle.CancelAsync(agreementId, CancelReason.AgbotRequested);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.True(started["eager"] >= started["slow"].AddSeconds(2), $"the consumer started at {started["eager"]:O}, the dependency at {started["slow"]:O}");
        Assert.True(kinds.IndexOf("service.ready") < kinds.LastIndexOf("container.started"));
    }

    [Fact]
    public async Task DependencyThatNeverBecomesReady_EndsTheAgreementWith108_NamingIt_AndStartsNoDependent()
    {
        await using var agent = await AgentHarness.CreateAsync(docker, registry, _state.Path);
        var producer = Services.Service("never.test", WithHealthcheck("never", Services.Sleeper(), ["CMD", "false"]));
        var consumer = Services.Service("waiting.test", Services.Deployment(("waiting", _image, Services.Sleeper())), requires: producer);
        var agreementId = AgreementId.New();

        var outcome = await agent.Lifecycle.StartAsync(agreementId, Services.Terms(consumer, producer), agent.Credentials);

        Assert.Equal(AgreementState.Failed, outcome.State);
        Assert.Equal(CancelReason.DependencyFailure, outcome.Reason);
        Assert.Contains("acme/never.test", outcome.Message, StringComparison.Ordinal);
        Assert.Contains((await agent.EventLog.QueryAsync(agreementId)), e => e.Kind == "agreement.failed" && e.Reason == 108 && e.Message.Contains("never.test", StringComparison.Ordinal));
        Assert.DoesNotContain((await agent.EventLog.QueryAsync(agreementId)), e => e.Kind == "container.started" && e.Message.Contains("waiting", StringComparison.Ordinal));
        var cancel = Assert.Single((await agent.Outbox.ListDueAsync()).Select(o => o.Message).OfType<CancelAgreement>());
        Assert.Equal(108, cancel.Reason);
        Assert.Empty(await DockerProbe.ContainersOfAsync(docker, agreementId));
    }

    private string WithHealthcheck(string name, string[] command, string[] test)
    {
        var deployment = JsonNode.Parse(Services.Deployment((name, _image, command)))!;
        deployment["services"]![name]!["healthcheck"] = new JsonObject
        {
            ["test"] = new JsonArray([.. test.Select(t => JsonValue.Create(t))]),
            ["interval"] = 0.5,
            ["timeout"] = 2,
            ["retries"] = 1,
        };
        return deployment.ToJsonString();
    }
}
