using System.Net;
using Horizon.NodeAgent.Tests.Support;
using Horizon.Testing.Docker;
using Horizon.Testing.Network;
using Horizon.Testing.Registry;
using Xunit;
using static Horizon.NodeAgent.Tests.Negotiation.NegotiationSteps;

namespace Horizon.NodeAgent.Tests.Negotiation;

/// <summary>The exchange going away must not touch workloads; the agent catches up when it returns.</summary>
[Collection(EngineTests.Name)]
public sealed class ExchangeOutageTests(DockerFixture docker, RegistryFixture registry)
{
    [Fact]
    public async Task ExchangeOutage_LeavesTheWorkloadRunning_AndHeartbeatsResumeWhenItReturns()
    {
        await using var bed = await NegotiationBed.StartAsync();
        await using var relay = new TcpRelay(new IPEndPoint(IPAddress.Loopback, bed.Exchange.BaseUrl.Port));
        relay.Start();
        await bed.StartAgentAsync(docker, registry.Server, exchangeUrl: new UriBuilder(bed.Exchange.BaseUrl) { Port = relay.Port }.Uri,
            settings: "--NodeAgent:HeartbeatInterval=00:00:01");
        var image = await Images.PublishAsync(registry.Server, $"exchange-outage-{docker.RunId}");
        var (agreementId, before) = await AgreeAsync(bed, docker, await bed.PublishServiceAsync("web", image));
        await WaitForAsync(() => bed.Exchange.Root.GetNodeAsync(bed.Org, NegotiationBed.NodeId), n => !string.IsNullOrEmpty(n.LastHeartbeat), "a first heartbeat");

        await relay.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        var lastBeforeReturn = (await bed.Exchange.Root.GetNodeAsync(bed.Org, NegotiationBed.NodeId)).LastHeartbeat;
        await Task.Delay(TimeSpan.FromSeconds(3));
        var during = await RunningAsync(docker, agreementId);
        var stillLast = (await bed.Exchange.Root.GetNodeAsync(bed.Org, NegotiationBed.NodeId)).LastHeartbeat;
        relay.Start();
        var resumed = await WaitForAsync(() => bed.Exchange.Root.GetNodeAsync(bed.Org, NegotiationBed.NodeId),
            n => n.LastHeartbeat != lastBeforeReturn, "a heartbeat after the exchange came back");
        await CancelAsync(bed, agreementId);
        await Images.ForgetAsync(docker, image);

        Assert.Equal(before.Id, Assert.Single(during).Id);
        Assert.Equal(lastBeforeReturn, stillLast);
        Assert.NotEqual(lastBeforeReturn, resumed.LastHeartbeat);
    }
}
