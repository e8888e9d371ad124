using Horizon.NodeAgent.Engine;
using Horizon.NodeAgent.Engine.Docker;
using Horizon.Testing.Docker;
using Xunit;

namespace Horizon.Docker.Tests.Engine;

public sealed class EventTests(DockerFixture fixture) : IClassFixture<DockerFixture>
{
    [Fact]
    public async Task Stream_SeesStartAndDieWithTheExitCode_ThenDestroy()
    {
        using var engine = EngineTestKit.Engine();
        var ct = EngineTestKit.Deadline();
        var (filter, spec) = Watched("exit7", "sh", "-c", "exit 7");
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        await using var events = engine.WatchContainersAsync(filter, since, ct).GetAsyncEnumerator(ct);

        var created = await engine.CreateContainerAsync(spec, ct);
        await engine.StartContainerAsync(created, ct);
        Assert.Equal(7, await EngineTestKit.WaitAsync(fixture, created, ct));
        await engine.RemoveContainerAsync(created, ct);

        var seen = await ReadUntilAsync(events, e => e.Action == "destroy");
        Assert.Equal(["start", "die", "destroy"], seen.Select(e => e.Action));
        Assert.All(seen, e => Assert.Equal(created, e.ContainerId));
        var die = seen[1];
        Assert.Equal(7, die.ExitCode);
        Assert.Equal(spec.Name, die.Name);
        Assert.Equal(DockerCli.BaseImage, die.Image);
        Assert.Null(seen[0].ExitCode);
        Assert.InRange(die.Time, since, DateTimeOffset.UtcNow.AddSeconds(5));
    }

    [Fact]
    public async Task Stream_SeesOom_WhenAContainerOutgrowsItsMemoryLimit()
    {
        using var engine = EngineTestKit.Engine();
        var ct = EngineTestKit.Deadline();
        var (filter, spec) = Watched("oom", "sh", "-c", "x=$(head -c 64m /dev/zero | tr '\\0' a); echo survived");
        await using var events = engine.WatchContainersAsync(filter, DateTimeOffset.UtcNow.AddSeconds(-1), ct).GetAsyncEnumerator(ct);

        var created = await engine.CreateContainerAsync(spec with { MemoryBytes = 8L * 1024 * 1024 }, ct);
        await engine.StartContainerAsync(created, ct);

        // The engine reports oom and die from separate cgroup and task events, in either order.
        var sawOom = false;
        var sawDie = false;
        var seen = await ReadUntilAsync(events, e => (sawOom |= e.Action == "oom") & (sawDie |= e.Action == "die"));
        Assert.Equal(137, seen.Single(e => e.Action == "die").ExitCode);
        Assert.True((await engine.FindContainerAsync(created, ct))!.OomKilled);
    }

    [Fact]
    public async Task Stream_FromAPastTime_ReplaysADieThatHappenedBeforeWatching()
    {
        using var engine = EngineTestKit.Engine();
        var ct = EngineTestKit.Deadline();
        var (filter, spec) = Watched("past", "sh", "-c", "exit 3");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var created = await engine.CreateContainerAsync(spec, ct);
        await engine.StartContainerAsync(created, ct);
        await EngineTestKit.WaitAsync(fixture, created, ct);

        await using var events = engine.WatchContainersAsync(filter, before, ct).GetAsyncEnumerator(ct);

        var die = (await ReadUntilAsync(events, e => e.Action == "die"))[^1];
        Assert.Equal(3, die.ExitCode);
        Assert.Equal(created, die.ContainerId);
    }

    [Fact]
    public async Task Stream_AfterADroppedConnection_ResumesWithoutLosingOrRepeatingEvents()
    {
        var engineSocket = DockerEngineOptions.Default.Endpoint.AbsolutePath;
        await using var relay = EngineRelay.OnUnixSocket(engineSocket);
        using var watcher = EngineTestKit.Engine(DockerEngineOptions.Default with
        {
            Endpoint = relay.Endpoint,
            ReconnectDelay = TimeSpan.FromMilliseconds(100),
            MaximumReconnectDelay = TimeSpan.FromMilliseconds(400),
        });
        using var engine = EngineTestKit.Engine();
        var ct = EngineTestKit.Deadline();
        var (filter, first) = Watched("before-drop", "sh", "-c", "exit 4");
        var second = EngineTestKit.Spec(fixture, "during-drop", "sh", "-c", "exit 5") with { Labels = first.Labels };
        await using var events = watcher.WatchContainersAsync(filter, DateTimeOffset.UtcNow.AddSeconds(-1), ct).GetAsyncEnumerator(ct);

        var a = await engine.CreateContainerAsync(first, ct);
        await engine.StartContainerAsync(a, ct);
        var beforeDrop = await ReadUntilAsync(events, e => e.Action == "die");

        relay.Drop(refuseNew: true);
        var pending = events.MoveNextAsync().AsTask();
        await relay.WaitForRefusalAsync(ct);
        var b = await engine.CreateContainerAsync(second, ct);
        await engine.StartContainerAsync(b, ct);
        Assert.Equal(5, await EngineTestKit.WaitAsync(fixture, b, ct));
        relay.AcceptAgain();

        Assert.True(await pending.WaitAsync(ct));
        var afterDrop = new List<ContainerEvent> { events.Current };
        if (!(events.Current.Action == "die" && events.Current.ContainerId == b))
        {
            afterDrop.AddRange(await ReadUntilAsync(events, e => e.Action == "die" && e.ContainerId == b));
        }

        Assert.Equal([(a, "start"), (a, "die")], beforeDrop.Select(e => (e.ContainerId, e.Action)));
        Assert.Equal([(b, "start"), (b, "die")], afterDrop.Select(e => (e.ContainerId, e.Action)));
        Assert.Equal(5, afterDrop[^1].ExitCode);
        Assert.True(relay.Accepted >= 2, $"the stream should have reconnected (accepted {relay.Accepted})");
    }

    [Fact]
    public async Task Stream_WhenCancelled_EndsWithOperationCanceled()
    {
        using var engine = EngineTestKit.Engine();
        using var cancel = new CancellationTokenSource();
        var (filter, _) = Watched("quiet");
        await using var events = engine.WatchContainersAsync(filter, cancellationToken: cancel.Token).GetAsyncEnumerator();
        var waiting = events.MoveNextAsync().AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    /// <summary>A container spec and a filter that matches only it (and what shares its labels).</summary>
    private (ContainerEventFilter Filter, ContainerSpec Spec) Watched(string prefix, params string[] command)
    {
        var marker = Guid.NewGuid().ToString("N");
        var spec = EngineTestKit.Spec(fixture, prefix, command) with { Labels = EngineTestKit.RunLabels(fixture, ("test.marker", marker)) };
        return (new ContainerEventFilter { Labels = [$"test.marker={marker}"] }, spec);
    }

    private static async Task<List<ContainerEvent>> ReadUntilAsync(IAsyncEnumerator<ContainerEvent> events, Func<ContainerEvent, bool> last)
    {
        var seen = new List<ContainerEvent>();
        while (await events.MoveNextAsync())
        {
            seen.Add(events.Current);
            if (last(events.Current))
            {
                return seen;
            }
        }
        throw new InvalidOperationException("the event stream ended");
    }
}
