using System.Text.Json;
using Horizon.Agreements;
using Horizon.Exchange.Client;
using Horizon.NodeAgent.Registration;
using Horizon.NodeAgent.Tests.Support;
using Horizon.Testing;
using Horizon.Testing.Docker;
using Horizon.Testing.Registry;
using Xunit;

namespace Horizon.NodeAgent.Tests.Workloads;

/// <summary>
/// The node owner's user input (<c>hzn register -f</c>) reaches the containers over the pattern's,
/// on the real engine: as created on start and as re-created by a restarted agent.
/// </summary>
[Collection(EngineTests.Name)]
public sealed class NodeUserInputTests(DockerFixture docker, RegistryFixture registry) : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _state = new("hzn-agent");
    private readonly List<string> _images = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Images.ForgetAsync(docker, [.. _images]);

    public void Dispose() => _state.Dispose();

    [Fact]
    public async Task NodeInput_OverridesThePatternsInput_ForItsVersionRangeOnly_AndAgainAfterAnAgentRestart()
    {
        using var registrations = new RegistrationStore(_state.Path);
        await registrations.SetAsync(Registration(
            NodeSection("greeter.test", "[1.0.0,2.0.0)", ("GREETING", "\"from the node\"")),
            NodeSection("greeter.test", "[2.0.0,3.0.0)", ("COLOUR", "\"for another version\""))));
        var service = Services.Service("greeter.test", Services.Deployment(("greeter", await PublishAsync("greeter"), Services.Sleeper())));
        var terms = WithPatternInput(Services.Terms(service), service);
        var agreementId = AgreementId.New();

        await using (var agent = await AgentHarness.CreateAsync(docker, registry, _state.Path, registrations))
        {
            Assert.True((await agent.Lifecycle.StartAsync(agreementId, terms, agent.Credentials)).Succeeded);
            var env = await EnvironmentOfAsync(agreementId);
            Assert.Contains("GREETING=from the node", env);
            Assert.Contains("MODE=from the pattern", env);
            Assert.DoesNotContain(env, e => e.StartsWith("COLOUR=", StringComparison.Ordinal));
        }

        // The agent was down and its container went; the restored agreement's new container gets the node's input too.
        await docker.Cli.RunCheckedAsync(["rm", "-f", Assert.Single(await DockerProbe.ContainersOfAsync(docker, agreementId))]);
        using var stored = new RegistrationStore(_state.Path);
        await using var restarted = await AgentHarness.CreateAsync(docker, registry, _state.Path, stored);
        var restored = Assert.Single(await restarted.Lifecycle.RestoreAsync(restarted.Credentials));
        Assert.True(restored.Succeeded, restored.Message);
        try
        {
            var env = await EnvironmentOfAsync(agreementId);
            Assert.Contains("GREETING=from the node", env);
            Assert.Contains("MODE=from the pattern", env);
        }
        finally
        {
            await restarted.Lifecycle.CancelAsync(agreementId, CancelReason.AgbotRequested);
        }
        Assert.Empty(await DockerProbe.ContainersOfAsync(docker, agreementId));
    }

    [Fact]
    public async Task PatternInput_Applies_WhereTheNodeGivesNoneForTheService()
    {
        using var registrations = new RegistrationStore(_state.Path);
        await registrations.SetAsync(Registration(NodeSection("some-other-service.test", null, ("GREETING", "\"not for this one\""))));
        var service = Services.Service("plain.test", Services.Deployment(("plain", await PublishAsync("plain"), Services.Sleeper())));
        var agreementId = AgreementId.New();
        await using var agent = await AgentHarness.CreateAsync(docker, registry, _state.Path, registrations);
        try
        {
            Assert.True((await agent.Lifecycle.StartAsync(agreementId, WithPatternInput(Services.Terms(service), service), agent.Credentials)).Succeeded);

            var env = await EnvironmentOfAsync(agreementId);
            Assert.Contains("GREETING=from the pattern", env);
            Assert.Contains("MODE=from the pattern", env);
        }
        finally
        {
            await agent.Lifecycle.CancelAsync(agreementId, CancelReason.AgbotRequested);
        }
    }

    private async Task<IReadOnlyList<string>> EnvironmentOfAsync(string agreementId)
    {
        var container = Assert.Single(await DockerProbe.ContainersOfAsync(docker, agreementId));
        return JsonSerializer.Deserialize<List<string>>(await DockerProbe.InspectAsync(docker, container, "{{json .Config.Env}}")) ?? [];
    }

    private async Task<string> PublishAsync(string name)
    {
        var image = await Images.PublishAsync(registry.Server, $"{name}-{Guid.NewGuid():N}"[..24]);
        _images.Add(image);
        return image;
    }

    private static AgreementTerms WithPatternInput(AgreementTerms terms, WorkloadService service) => terms with
    {
        UserInput =
        [
            new ServiceUserInput
            {
                ServiceOrgid = service.Org,
                ServiceUrl = service.Url,
                Inputs =
                [
                    new UserInputValue { Name = "GREETING", Value = Json("\"from the pattern\"") },
                    new UserInputValue { Name = "MODE", Value = Json("\"from the pattern\"") },
                ],
            },
        ],
    };

    private static NodeRegistration Registration(params NodeUserInput[] input) => new()
    {
        Id = "node1",
        Org = Services.Org,
        Token = "token",
        Pattern = "acme/pattern-test",
        UserInput = input,
    };

    private static NodeUserInput NodeSection(string url, string? versionRange, params (string Name, string Json)[] inputs) => new()
    {
        ServiceOrgid = Services.Org,
        ServiceUrl = url,
        ServiceVersionRange = versionRange,
        Inputs = [.. inputs.Select(i => new NameValue { Name = i.Name, Value = Json(i.Json) })],
    };

    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
