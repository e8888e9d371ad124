using Horizon.NodeAgent.Engine;
using Horizon.NodeAgent.Engine.Docker;
using Xunit;

namespace Horizon.Docker.Tests.Engine;

public sealed class SystemTests
{
    [Fact]
    public async Task Ping_OnTheRunningEngine_Answers()
    {
        using var engine = EngineTestKit.Engine();
        await engine.PingAsync(EngineTestKit.Deadline());
    }

    [Fact]
    public async Task EveryCall_WhenNothingListensOnTheSocket_IsEngineUnavailable_NotAClientException()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"hzn-no-engine-{Guid.NewGuid():N}.sock");
        using var engine = EngineTestKit.Engine(DockerEngineOptions.Default with { Endpoint = new Uri("unix://" + missing) });
        var ct = EngineTestKit.Deadline();

        var ping = await Assert.ThrowsAsync<EngineUnavailableException>(() => engine.PingAsync(ct));
        await Assert.ThrowsAsync<EngineUnavailableException>(() => engine.FindContainerAsync("anything", ct));
        await Assert.ThrowsAsync<EngineUnavailableException>(() => engine.ListNetworksAsync(["a=b"], ct));
        await Assert.ThrowsAsync<EngineUnavailableException>(() => engine.PullImageAsync("127.0.0.1:1/none:1", null, ct));

        Assert.Contains("cannot be reached", ping.Message, StringComparison.Ordinal);
    }
}
