using Horizon.NodeAgent.Engine;
using Horizon.NodeAgent.Engine.Docker;
using Horizon.Testing.Docker;
using Xunit;

namespace Horizon.Docker.Tests.Engine;

public sealed class NetworkTests(DockerFixture fixture) : IClassFixture<DockerFixture>
{
    // Bounded by `timeout` because busybox wget -T segfaults, and on an internal network a name
    // that does not resolve hangs until the DNS timeout instead of failing fast.
    private static readonly string[] s_fetchProducer = ["sh", "-c", "timeout 3 wget -q -O - http://producer:8080/"];

    [Fact]
    public async Task Create_InternalBridgeWithLabels_IsFindableListableAndRemovable()
    {
        using var engine = EngineTestKit.Engine();
        var ct = EngineTestKit.Deadline();
        var service = Guid.NewGuid().ToString("N");
        var spec = new NetworkSpec { Name = fixture.UniqueName("net"), Internal = true, Labels = EngineTestKit.RunLabels(fixture, ("openhorizon.service", service)) };

        await engine.CreateNetworkAsync(spec, ct);
        var found = await engine.FindNetworkAsync(spec.Name, ct);

        Assert.Equal((spec.Name, true), (found!.Name, found.Internal));
        Assert.Equal("bridge", await fixture.Cli.RunCheckedAsync(["network", "inspect", "--format", "{{.Driver}}", spec.Name], cancellationToken: ct) is var driver ? driver.Trim() : "");
        Assert.Equal(service, found.Labels["openhorizon.service"]);
        var listed = Assert.Single(await engine.ListNetworksAsync([$"openhorizon.service={service}"], ct));
        Assert.Equal((found.Id, spec.Name), (listed.Id, listed.Name));

        Assert.True(await engine.RemoveNetworkAsync(spec.Name, ct));
        Assert.Null(await engine.FindNetworkAsync(spec.Name, ct));
        Assert.False(await engine.RemoveNetworkAsync(spec.Name, ct));
        Assert.Empty(await engine.ListNetworksAsync([$"openhorizon.service={service}"], ct));
    }

    // Docker 20.10 (API 1.41) creates a second network of the same name unless asked not to, and
    // the package no longer carries that flag: the adapter must refuse itself.
    [Fact]
    public async Task Create_WithANameInUse_IsAConflict_AndLeavesOneNetworkOfThatName()
    {
        using var engine = EngineTestKit.Engine();
        var spec = new NetworkSpec { Name = fixture.UniqueName("dup"), Internal = true, Labels = EngineTestKit.RunLabels(fixture) };
        await engine.CreateNetworkAsync(spec);

        await Assert.ThrowsAsync<EngineConflictException>(() => engine.CreateNetworkAsync(spec));

        var named = await fixture.Cli.RunCheckedAsync(["network", "ls", "-q", "--filter", $"name=^{spec.Name}$"]);
        Assert.Single(named.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Find_ByAnIdPrefix_IsNotFindingByName()
    {
        using var engine = EngineTestKit.Engine();
        var spec = new NetworkSpec { Name = fixture.UniqueName("prefix"), Internal = true, Labels = EngineTestKit.RunLabels(fixture) };
        await engine.CreateNetworkAsync(spec);
        var id = (await engine.FindNetworkAsync(spec.Name))!.Id;

        Assert.Null(await engine.FindNetworkAsync(id[..12]));
    }

    [Fact]
    public async Task Remove_WhileAContainerIsAttached_IsAConflict()
    {
        using var engine = EngineTestKit.Engine();
        var ct = EngineTestKit.Deadline();
        var network = await CreateInternalNetworkAsync(engine, "busy", ct);
        var container = await engine.CreateContainerAsync(EngineTestKit.Spec(fixture, "attached", "sleep", "300") with { Network = network }, ct);
        await engine.StartContainerAsync(container, ct);

        await Assert.ThrowsAsync<EngineConflictException>(() => engine.RemoveNetworkAsync(network, ct));
        Assert.Contains(container, (await engine.FindNetworkAsync(network, ct))!.Containers);
    }

    [Fact]
    public async Task Consumer_AttachedToTheProducersNetwork_ReachesItByAlias_WhileAnOutsiderCannot()
    {
        using var engine = EngineTestKit.Engine();
        var ct = EngineTestKit.Deadline(90);
        var producerNetwork = await CreateInternalNetworkAsync(engine, "producer", ct);
        var consumerNetwork = await CreateInternalNetworkAsync(engine, "consumer", ct);
        var outsiderNetwork = await CreateInternalNetworkAsync(engine, "outsider", ct);

        var producer = await engine.CreateContainerAsync(EngineTestKit.Spec(fixture, "producer", "sh", "-c",
            "mkdir -p /www && echo hello-from-producer > /www/index.html && exec httpd -f -p 8080 -h /www") with
        {
            Network = producerNetwork,
            NetworkAliases = ["producer"],
        }, ct);
        await engine.StartContainerAsync(producer, ct);

        // The consumer lives on its own network and is attached to the producer's, as the node agent does it.
        var consumer = await engine.CreateContainerAsync(EngineTestKit.Spec(fixture, "consumer", s_fetchProducer) with { Network = consumerNetwork }, ct);
        await engine.ConnectNetworkAsync(producerNetwork, consumer, ["consumer"], ct);
        var outsider = await engine.CreateContainerAsync(EngineTestKit.Spec(fixture, "outsider", s_fetchProducer) with { Network = outsiderNetwork }, ct);

        Assert.Equal(0, await RunAsync(engine, consumer, ct));
        Assert.Contains("hello-from-producer", await fixture.Cli.RunCheckedAsync(["logs", consumer], cancellationToken: ct), StringComparison.Ordinal);
        Assert.Equal([consumerNetwork, producerNetwork], (await engine.FindContainerAsync(consumer, ct))!.Networks.Order());

        Assert.NotEqual(0, await RunAsync(engine, outsider, ct));
        Assert.DoesNotContain("hello-from-producer", await fixture.Cli.RunCheckedAsync(["logs", outsider], cancellationToken: ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_ByLabel_ReturnsOnlyTheNetworksCarryingIt()
    {
        using var engine = EngineTestKit.Engine();
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
        await engine.CreateNetworkAsync(a, ct);
        await engine.CreateNetworkAsync(b, ct);

        Assert.Equal([a.Name, b.Name], (await engine.ListNetworksAsync([$"test.service={service}"], ct)).Select(n => n.Name).Order());
        Assert.Equal([a.Name], (await engine.ListNetworksAsync([$"test.service={service}", "test.role=a"], ct)).Select(n => n.Name));
        Assert.Contains(b.Name, (await engine.ListNetworksAsync(["test.role"], ct)).Select(n => n.Name));
        Assert.Empty(await engine.ListNetworksAsync([$"test.service={service}", "test.role=c"], ct));
    }

    [Fact]
    public async Task Connect_ToANetworkThatDoesNotExist_IsNotFound()
    {
        using var engine = EngineTestKit.Engine();
        var missing = fixture.UniqueName("nonet");
        // Running, because the engine defers (and so does not check) connections of a created container.
        var container = await engine.CreateContainerAsync(EngineTestKit.Spec(fixture, "lonely", "sleep", "300"));
        await engine.StartContainerAsync(container);

        Assert.Null(await engine.FindNetworkAsync(missing));
        await Assert.ThrowsAsync<EngineNotFoundException>(() => engine.ConnectNetworkAsync(missing, container, []));
    }

    private async Task<string> CreateInternalNetworkAsync(DockerContainerEngine engine, string prefix, CancellationToken ct)
    {
        var name = fixture.UniqueName(prefix);
        await engine.CreateNetworkAsync(new NetworkSpec { Name = name, Internal = true, Labels = EngineTestKit.RunLabels(fixture) }, ct);
        return name;
    }

    private async Task<int> RunAsync(DockerContainerEngine engine, string id, CancellationToken ct)
    {
        await engine.StartContainerAsync(id, ct);
        return await EngineTestKit.WaitAsync(fixture, id, ct);
    }
}
