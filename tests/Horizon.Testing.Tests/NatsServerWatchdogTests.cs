using System.Diagnostics;
using Horizon.Testing.Nats;

namespace Horizon.Testing.Tests;

/// <summary>
/// A nats-server a fixture started does not outlive the process that owns it: when the owner dies
/// without disposing the fixture (a test host killed), the server's watchdog kills the server. A
/// stand-in owner (a <c>sleep</c>) plays the test host, so the test can kill it.
/// </summary>
public sealed class NatsServerWatchdogTests
{
    [Fact]
    public async Task OwnerKilled_ServerIsKilledWithinSeconds_AndTheWatchdogEnds()
    {
        using var owner = Process.Start("sleep", "300");
        await using var server = await NatsServer.StartAsync(NatsServerOptions.Default with { JetStream = false, OwnerProcessId = owner.Id });
        var target = ProcessIdentity.Of(server.ProcessId!.Value);
        var watchdog = ProcessIdentity.Of(server.WatchdogProcessId!.Value);
        await Task.Delay(1_500);
        Assert.True(target.IsAlive, "the server died while its owner lived");

        owner.Kill();
        await owner.WaitForExitAsync();

        Assert.True(await GoneWithinAsync(target, TimeSpan.FromSeconds(10)), $"nats-server {target} still runs 10 s after its owner died");
        Assert.True(await GoneWithinAsync(watchdog, TimeSpan.FromSeconds(10)), "the watchdog did not end after killing the server");
    }

    [Fact]
    public async Task ServerStoppedAndStartedAgain_TheOldWatchdogEnds_TheNewOneWatchesTheNewServer()
    {
        await using var server = await NatsServer.StartAsync(NatsServerOptions.Default with { JetStream = false });
        var firstWatchdog = ProcessIdentity.Of(server.WatchdogProcessId!.Value);

        await server.StopAsync(graceful: false);
        await server.StartAgainAsync();

        Assert.True(await GoneWithinAsync(firstWatchdog, TimeSpan.FromSeconds(10)), "the first server's watchdog outlived it");
        Assert.True(ProcessIdentity.Of(server.WatchdogProcessId!.Value).IsAlive);
        Assert.True(ProcessIdentity.Of(server.ProcessId!.Value).IsAlive, "the watchdog of a live owner killed its server");
    }

    private static async Task<bool> GoneWithinAsync(ProcessIdentity process, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (process.IsAlive)
        {
            if (clock.Elapsed > limit)
            {
                return false;
            }
            await Task.Delay(100);
        }
        return true;
    }
}
