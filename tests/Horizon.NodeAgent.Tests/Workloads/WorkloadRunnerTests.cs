using Horizon.Agreements;
using Horizon.NodeAgent.Tests.Support;
using Horizon.NodeAgent.Workloads;
using Horizon.Testing;
using Horizon.Testing.Docker;
using Horizon.Testing.Registry;
using Xunit;

namespace Horizon.NodeAgent.Tests.Workloads;

[Collection(EngineTests.Name)]
public sealed class WorkloadRunnerTests(DockerFixture docker, RegistryFixture registry)
{
    [Fact]
    public async Task ProducerAndConsumer_StartLeafFirst_AndOnlyTheConsumerReachesTheProducerByName()
    {
        using var state = new TempDirectory("hzn-agent");
        await using var agent = await AgentHarness.CreateAsync(docker, registry, state.Path);
        var producerImage = await Images.PublishAsync(agent.Registry, "prod-" + docker.RunId);
        var consumerImage = await Images.PublishAsync(agent.Registry, "cons-" + docker.RunId);
        var producer = Services.Service("producer.test", Services.Deployment(("producer", producerImage, Services.HttpServer("hello-from-producer"))));
        var consumer = Services.Service("consumer.test", Services.Deployment(("consumer", consumerImage, Services.HttpPoller("producer"))), requires: producer);
        var agreementId = AgreementId.New();
        try
        {
            await agent.Runner.StartAsync(WorkloadPlanner.Build(agreementId, Services.Terms(consumer, producer)), agent.Credentials);

            var instances = agent.Runner.ListInstances();
            var producerContainer = instances.Single(i => i.Url == "producer.test").Containers.Single().Name;
            var consumerContainer = instances.Single(i => i.Url == "consumer.test").Containers.Single().Name;
            Assert.True(await DockerProbe.LogsEventuallyContainAsync(docker, consumerContainer, "hello-from-producer", TimeSpan.FromSeconds(20)),
                "the consumer never fetched the producer's page by the name 'producer'");

            var producerStarted = DateTimeOffset.Parse(await DockerProbe.InspectAsync(docker, producerContainer, "{{.State.StartedAt}}"), System.Globalization.CultureInfo.InvariantCulture);
            var consumerStarted = DateTimeOffset.Parse(await DockerProbe.InspectAsync(docker, consumerContainer, "{{.State.StartedAt}}"), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(producerStarted < consumerStarted, $"producer started {producerStarted:O}, consumer {consumerStarted:O}");

            var env = await DockerProbe.InspectAsync(docker, consumerContainer, "{{json .Config.Env}}");
            Assert.Contains($"HZN_AGREEMENTID={agreementId}", env, StringComparison.Ordinal);
            Assert.Contains("HZN_PATTERN=acme/pattern-test", env, StringComparison.Ordinal);
            Assert.Contains("HZN_ORGANIZATION=acme", env, StringComparison.Ordinal);

            // "; exit $?" keeps sh as PID 1: were wget PID 1 it would ignore timeout's SIGTERM.
            var outsiderNetwork = await docker.CreateNetworkAsync("outsider");
            var producerIp = await DockerProbe.InspectAsync(docker, producerContainer, "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}");
            var byName = await docker.RunToCompletionAsync(["sh", "-c", "timeout 3 wget -q -O - http://producer:8080/; exit $?"], outsiderNetwork, "outsider");
            var byAddress = await docker.RunToCompletionAsync(["sh", "-c", $"timeout 3 wget -q -O - http://{producerIp}:8080/; exit $?"], outsiderNetwork, "outsider");
            Assert.NotEqual(0, byName.ExitCode);
            Assert.NotEqual(0, byAddress.ExitCode);
            Assert.DoesNotContain("hello-from-producer", byName.Output + byAddress.Output, StringComparison.Ordinal);
        }
        finally
        {
            await agent.Runner.StopAsync(agreementId);
            await Images.ForgetAsync(docker, producerImage, consumerImage);
        }
        Assert.Empty(await DockerProbe.ContainersOfAsync(docker, agreementId));
        Assert.Empty(await DockerProbe.NetworksOfAsync(docker, agreementId));
    }
}
