using System.Net;
using System.Text.Json;
using Horizon.Agreements;
using Horizon.Docker;
using Horizon.NodeAgent.Hosting;
using Horizon.NodeAgent.Supervision;
using Horizon.NodeAgent.Tests.Support;
using Horizon.NodeAgent.Tests.Workloads;
using Horizon.Testing;
using Horizon.Testing.Docker;
using Horizon.Testing.Registry;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Horizon.NodeAgent.Tests.Api;

[Collection(EngineTests.Name)]
public sealed class LocalApiTests(DockerFixture docker, RegistryFixture registry)
{
    [Fact]
    public async Task LocalApi_ShowsNodeAgreementsServicesAndEventlog()
    {
        using var state = new TempDirectory("hzn-agent");
        await using var host = await AgentHost.StartAsync(state.Path);
        var image = await Images.PublishAsync(registry.Server, $"api-{Guid.NewGuid():N}"[..20]);
        var agreementId = AgreementId.New();
        var lifecycle = host.App.Services.GetRequiredService<AgreementLifecycle>();
        var service = Services.Service("api.test", Services.Deployment(("web", image, Services.Sleeper())));
        try
        {
            var outcome = await lifecycle.StartAsync(agreementId, Services.Terms(service),
                [new RegistryCredentials(registry.Server.UserName, registry.Server.Password, registry.Server.Host)]);
            Assert.True(outcome.Succeeded, outcome.Message);

            using var node = await GetJsonAsync(host, "/node");
            Assert.Equal("node1", node.RootElement.GetProperty("id").GetString());
            Assert.Equal(1, node.RootElement.GetProperty("activeAgreements").GetInt32());

            using var agreements = await GetJsonAsync(host, "/agreements");
            var agreement = Assert.Single(agreements.RootElement.EnumerateArray());
            Assert.Equal(agreementId, agreement.GetProperty("id").GetString());
            Assert.Equal("running", agreement.GetProperty("state").GetString());

            using var services = await GetJsonAsync(host, "/services");
            var instance = Assert.Single(services.RootElement.EnumerateArray());
            Assert.Equal("api.test", instance.GetProperty("url").GetString());
            Assert.Equal("running", Assert.Single(instance.GetProperty("containers").EnumerateArray()).GetProperty("state").GetString());

            using var events = await GetJsonAsync(host, $"/eventlog?agreement={agreementId}");
            var kinds = events.RootElement.EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
            Assert.Equal("agreement.starting", kinds[0]);
            Assert.Contains("container.started", kinds);
            Assert.Equal("agreement.running", kinds[^1]);

            Assert.Equal(HttpStatusCode.BadRequest, (await host.Http.GetAsync("/agreements/not-an-id")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync($"/agreements/{AgreementId.New()}")).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await host.Http.GetAsync("/eventlog?limit=0")).StatusCode);
        }
        finally
        {
            await lifecycle.CancelAsync(agreementId, CancelReason.NodeUserRequested);
            await Images.ForgetAsync(docker, image);
        }
        Assert.Empty(await DockerProbe.ContainersOfAsync(docker, agreementId));
    }

    [Fact]
    public void Build_WithoutNodeIdentity_FailsNamingTheMissingSettings()
    {
        var error = Assert.Throws<Horizon.Hosting.Settings.InvalidSettingsException>(() => NodeAgentApplication.Build(["--NodeAgent:ApiUrl=http://0.0.0.0:8510"]));
        Assert.Contains("NodeAgent:NodeId is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("NodeAgent:Organization is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("loopback", error.Message, StringComparison.Ordinal);
    }

    private static async Task<JsonDocument> GetJsonAsync(AgentHost host, string path)
    {
        using var response = await host.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
