using Horizon.NodeAgent.Engine.Docker;
using Horizon.NodeAgent.Tests.Support;
using Horizon.Testing;
using Horizon.Testing.Docker;
using Xunit;

namespace Horizon.NodeAgent.Tests.Systemd;

/// <summary>
/// The agent process under a stand-in for systemd: <c>NOTIFY_SOCKET</c> and <c>WATCHDOG_USEC</c>
/// as systemd sets them for a <c>Type=notify</c> unit with <c>WatchdogSec=</c>, pointing at a unix
/// datagram socket of the test's own.
/// </summary>
[Collection(EngineTests.Name)]
public sealed class SystemdNotifyTests(DockerFixture docker)
{
    private static readonly TimeSpan Watchdog = TimeSpan.FromMilliseconds(800);

    [Fact]
    public async Task Agent_SaysReady_ThenWatchdogWhileTheEngineAnswers_AndStoppingOnSigterm()
    {
        using var state = new TempDirectory("hzn-notify");
        using var socket = new NotifySocket(state.Combine("notify.sock"));
        await using var agent = await AgentProcess.StartAsync(state.Combine("agent"), docker, environment: Systemd(socket));

        Assert.True(await socket.WaitForAsync("READY=1", TimeSpan.FromSeconds(30)), agent.Process.RecentOutput);
        Assert.True(await socket.WaitForAsync("WATCHDOG=1", Watchdog * 3), agent.Process.RecentOutput);
        Assert.True(await socket.WaitForAsync("WATCHDOG=1", Watchdog * 3), agent.Process.RecentOutput);

        agent.Process.Signal(15);

        Assert.True(await socket.WaitForAsync("STOPPING=1", TimeSpan.FromSeconds(10)), agent.Process.RecentOutput);
        await agent.Process.WaitForExitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Watchdog_IsWithheldWhileTheEngineDoesNotAnswer_AndResumesWhenItDoes()
    {
        using var state = new TempDirectory("hzn-notify");
        using var socket = new NotifySocket(state.Combine("notify.sock"));
        await using var relay = EngineRelay.OnUnixSocket(DockerEngineOptions.Default.Endpoint.AbsolutePath);
        await using var agent = await AgentProcess.StartAsync(state.Combine("agent"), docker,
            settings: new Dictionary<string, string> { ["DockerEndpoint"] = relay.Endpoint.OriginalString },
            environment: Systemd(socket));
        Assert.True(await socket.WaitForAsync("READY=1", TimeSpan.FromSeconds(30)), agent.Process.RecentOutput);
        Assert.True(await socket.WaitForAsync("WATCHDOG=1", Watchdog * 3), agent.Process.RecentOutput);

        relay.Drop(refuseNew: true);
        await socket.DrainAsync(Watchdog);

        // With the engine gone, systemd would see no ping for several intervals and restart the agent.
        Assert.False(await socket.WaitForAsync("WATCHDOG=1", Watchdog * 3), "a watchdog ping went out while the engine refused every connection");

        relay.AcceptAgain();
        Assert.True(await socket.WaitForAsync("WATCHDOG=1", Watchdog * 4), agent.Process.RecentOutput);
    }

    [Fact]
    public async Task WithoutNotifySocket_TheAgentRunsAndSendsNothing()
    {
        using var state = new TempDirectory("hzn-notify");
        await using var agent = await AgentProcess.StartAsync(state.Combine("agent"), docker,
            environment: new Dictionary<string, string> { ["WATCHDOG_USEC"] = "800000" });

        using var response = await agent.Api.GetAsync(new Uri("/node", UriKind.Relative));
        Assert.True(response.IsSuccessStatusCode, agent.Process.RecentOutput);
    }

    private static Dictionary<string, string> Systemd(NotifySocket socket) => new()
    {
        ["NOTIFY_SOCKET"] = socket.Path,
        ["WATCHDOG_USEC"] = ((long)Watchdog.TotalMicroseconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
