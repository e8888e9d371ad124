using System.Text.Json;
using Horizon.NodeAgent.Tests.Api;
using Horizon.NodeAgent.Tests.Support;
using Horizon.Testing;
using Horizon.Testing.Docker;
using Horizon.Testing.Registry;
using Xunit;

namespace Horizon.NodeAgent.Tests.State;

/// <summary>The real agent application migrates its state once, at start, before any other part reads it.</summary>
[Collection(EngineTests.Name)]
public sealed class StateMigrationHostTests(DockerFixture docker, RegistryFixture registry)
{
    [Fact]
    public async Task TwoStartsOnOneStateFolder_MigrateItOnce()
    {
        _ = docker;
        _ = registry;
        using var state = new TempDirectory("hzn-agent");
        await using (await AgentHost.StartAsync(state.Path))
        {
        }
        await using var restarted = await AgentHost.StartAsync(state.Path);

        using var events = JsonDocument.Parse(await restarted.Http.GetStringAsync(new Uri("/eventlog", UriKind.Relative)));
        var kinds = events.RootElement.EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Equal(2, kinds.Count(k => k == "agent.started"));
        Assert.Equal(1, kinds.Count(k => k == "state.migrated"));
        // Migrated before anything else wrote to the file.
        Assert.Equal("state.migrated", kinds[0]);
    }
}
