using Horizon.Testing.Docker;
using Xunit;

namespace Horizon.Docker.Tests.Engine;

public sealed class NetworkTests(DockerFixture fixture) : IClassFixture<DockerFixture>
{
    // Bounded by `timeout` because busybox wget -T segfaults, and on an internal network a name
    // that does not resolve hangs until the DNS timeout instead of failing fast.
    private static readonly string[] s_fetchProducer = ["sh", "-c", "timeout 3 wget -q -O - http://producer:8080/"];

    [Fact]
    public async Task Create_InternalBridgeWithLabelsAndOptions_IsInspectableListableAndRemovable()
    {
        using var client = EngineTestKit.Client();
        var ct = EngineTestKit.Deadline();
        var service = Guid.NewGuid().ToString("N");
        var spec = new NetworkSpec
        {
            Name = fixture.UniqueName("net"),
            Internal = true,
            Labels = EngineTestKit.RunLabels(fixture, ("openhorizon.service", service)),
            Options = new Dictionary<string, string> { ["com.docker.network.bridge.enable_icc"] = "true" },
        };

        var created = await client.Networks.CreateAsync(spec, ct);
        var inspect = await client.Networks.InspectAsync(spec.Name, ct);

        Assert.Equal(created.Id, inspect.Id);
        Assert.Equal("bridge", inspect.Driver);
        Assert.True(inspect.Internal);
        Assert.Equal(service, inspect.Labels!["openhorizon.service"]);
        Assert.Equal("true", inspect.Options!["com.docker.network.bridge.enable_icc"]);
        var listed = Assert.Single(await client.Networks.ListAsync([$"openhorizon.service={service}"], ct));
        Assert.Equal(spec.Name, listed.Name);

        await client.Networks.RemoveAsync(created.Id, ct);
        await Assert.ThrowsAsync<DockerNotFoundException>(() => client.Networks.InspectAsync(created.Id, ct));
        Assert.Empty(await client.Networks.ListAsync([$"openhorizon.service={service}"], ct));
    }

    [Fact]
    public async Task Create_WithANameInUse_IsAConflict()
    {
        using var client = EngineTestKit.Client();
        var spec = new NetworkSpec { Name = fixture.UniqueName("dup"), Internal = true, Labels = EngineTestKit.RunLabels(fixture) };
        await client.Networks.CreateAsync(spec);

        await Assert.ThrowsAsync<DockerConflictException>(() => client.Networks.CreateAsync(spec));
    }

    [Fact]
    public async Task Remove_WhileAContainerIsAttached_IsAConflict()
    {
        using var client = EngineTestKit.Client();
        var ct = EngineTestKit.Deadline();
        var network = await CreateInternalNetworkAsync(client, "busy", ct);
        var container = await client.Containers.CreateAsync(EngineTestKit.Spec(fixture, "attached", "sleep", "300") with { Network = network }, ct);
        await client.Containers.StartAsync(container.Id, ct);

        await Assert.ThrowsAsync<DockerConflictException>(() => client.Networks.RemoveAsync(network, ct));
        Assert.Contains(container.Id, (await client.Networks.InspectAsync(network, ct)).Containers!.Keys);
    }

    [Fact]
    public async Task Consumer_AttachedToTheProducersNetwork_ReachesItByAlias_WhileAnOutsiderCannot()
    {
        using var client = EngineTestKit.Client();
        var ct = EngineTestKit.Deadline(90);
        var producerNetwork = await CreateInternalNetworkAsync(client, "producer", ct);
        var consumerNetwork = await CreateInternalNetworkAsync(client, "consumer", ct);
        var outsiderNetwork = await CreateInternalNetworkAsync(client, "outsider", ct);

        var producer = await client.Containers.CreateAsync(EngineTestKit.Spec(fixture, "producer", "sh", "-c",
            "mkdir -p /www && echo hello-from-producer > /www/index.html && exec httpd -f -p 8080 -h /www") with
        {
            Network = producerNetwork,
            NetworkAliases = ["producer"],
        }, ct);
        await client.Containers.StartAsync(producer.Id, ct);

        // The consumer lives on its own network and is attached to the producer's, as the node agent does it.
        var consumer = await client.Containers.CreateAsync(EngineTestKit.Spec(fixture, "consumer", s_fetchProducer) with { Network = consumerNetwork }, ct);
        await client.Networks.ConnectAsync(producerNetwork, consumer.Id, ["consumer"], ct);
        var outsider = await client.Containers.CreateAsync(EngineTestKit.Spec(fixture, "outsider", s_fetchProducer) with { Network = outsiderNetwork }, ct);

        Assert.Equal(0, await RunAsync(client, consumer.Id, ct));
        Assert.Contains(new ContainerLogLine(LogSource.Stdout, "hello-from-producer"), await client.Containers.GetLogsAsync(consumer.Id, cancellationToken: ct));
        Assert.Equal(["consumer"], (await client.Containers.InspectAsync(consumer.Id, ct)).NetworkSettings.Networks[producerNetwork].Aliases!.Where(a => a == "consumer"));

        Assert.NotEqual(0, await RunAsync(client, outsider.Id, ct));
        Assert.DoesNotContain(new ContainerLogLine(LogSource.Stdout, "hello-from-producer"), await client.Containers.GetLogsAsync(outsider.Id, cancellationToken: ct));

        // Once disconnected, the consumer is an outsider too.
        await client.Networks.DisconnectAsync(producerNetwork, consumer.Id, cancellationToken: ct);
        Assert.Equal([consumerNetwork], (await client.Containers.InspectAsync(consumer.Id, ct)).NetworkSettings.Networks.Keys);
        Assert.NotEqual(0, await RunAsync(client, consumer.Id, ct));
    }

    [Fact]
    public async Task Disconnect_DetachesARunningContainer_AndRefusesOneThatIsNotAttached()
    {
        using var client = EngineTestKit.Client();
        var ct = EngineTestKit.Deadline();
        var home = await CreateInternalNetworkAsync(client, "home", ct);
        var extra = await CreateInternalNetworkAsync(client, "extra", ct);
        var container = await client.Containers.CreateAsync(EngineTestKit.Spec(fixture, "detach", "sleep", "300") with { Network = home }, ct);
        await client.Containers.StartAsync(container.Id, ct);
        await client.Networks.ConnectAsync(extra, container.Id, ["extra-alias"], ct);
        Assert.Contains(container.Id, (await client.Networks.InspectAsync(extra, ct)).Containers!.Keys);

        await client.Networks.DisconnectAsync(extra, container.Id, cancellationToken: ct);

        Assert.DoesNotContain(container.Id, (await client.Networks.InspectAsync(extra, ct)).Containers!.Keys);
        Assert.Equal([home], (await client.Containers.InspectAsync(container.Id, ct)).NetworkSettings.Networks.Keys);
        // The engine answers 500 for "not connected": neither a typed not-found nor a conflict.
        var error = await Assert.ThrowsAsync<DockerApiException>(() => client.Networks.DisconnectAsync(extra, container.Id, cancellationToken: ct));
        Assert.Contains("not connected", error.ResponseMessage, StringComparison.Ordinal);
        await Assert.ThrowsAsync<DockerNotFoundException>(() => client.Networks.DisconnectAsync(extra, fixture.UniqueName("nobody"), cancellationToken: ct));
        await Assert.ThrowsAsync<DockerNotFoundException>(() => client.Networks.DisconnectAsync(fixture.UniqueName("nonet"), container.Id, cancellationToken: ct));
    }

    [Fact]
    public async Task List_ByLabel_ReturnsOnlyTheNetworksCarryingIt()
    {
        using var client = EngineTestKit.Client();
        var ct = EngineTestKit.Deadline();
        var service = Guid.NewGuid().ToString("N");
        NetworkSpec Labelled(string prefix, string value) => new()
        {
            Name = fixture.UniqueName(prefix),
            Internal = true,
            Labels = EngineTestKit.RunLabels(fixture, ("test.service", service), ("test.role", value)),
        };
        var a = Labelled("list-a", "a");
        var b = Labelled("list-b", "b");
        await client.Networks.CreateAsync(a, ct);
        await client.Networks.CreateAsync(b, ct);

        Assert.Equal([a.Name, b.Name], (await client.Networks.ListAsync([$"test.service={service}"], ct)).Select(n => n.Name).Order());
        Assert.Equal([a.Name], (await client.Networks.ListAsync([$"test.service={service}", "test.role=a"], ct)).Select(n => n.Name));
        Assert.Contains(b.Name, (await client.Networks.ListAsync(["test.role"], ct)).Select(n => n.Name));
        Assert.Empty(await client.Networks.ListAsync([$"test.service={service}", "test.role=c"], ct));
    }

    [Fact]
    public async Task ConnectAndInspect_OfANetworkThatDoesNotExist_AreNotFound()
    {
        using var client = EngineTestKit.Client();
        var missing = fixture.UniqueName("nonet");
        // Running, because the engine defers (and so does not check) connections of a created container.
        var container = await client.Containers.CreateAsync(EngineTestKit.Spec(fixture, "lonely", "sleep", "300"));
        await client.Containers.StartAsync(container.Id);

        await Assert.ThrowsAsync<DockerNotFoundException>(() => client.Networks.InspectAsync(missing));
        await Assert.ThrowsAsync<DockerNotFoundException>(() => client.Networks.ConnectAsync(missing, container.Id, []));
        await Assert.ThrowsAsync<DockerNotFoundException>(() => client.Networks.RemoveAsync(missing));
    }

    private async Task<string> CreateInternalNetworkAsync(DockerClient client, string prefix, CancellationToken ct)
    {
        var name = fixture.UniqueName(prefix);
        await client.Networks.CreateAsync(new NetworkSpec { Name = name, Internal = true, Labels = EngineTestKit.RunLabels(fixture) }, ct);
        return name;
    }

    private static async Task<int> RunAsync(DockerClient client, string id, CancellationToken ct)
    {
        await client.Containers.StartAsync(id, ct);
        return await client.Containers.WaitAsync(id, ct);
    }
}
