using System.Diagnostics;
using System.Globalization;

namespace Horizon.FleetSim.Fleet;

/// <summary>
/// Kills nats-server (SIGKILL: no flush, no goodbye to clients) at the moments <c>--kill-nats-at</c>
/// names, counted from the start signal, and starts it again on the same port and JetStream store
/// after <c>--nats-down-for</c>. Every component must find its way back by itself: the exchange's
/// change publisher, the switchboard, the agbot and each node's mailbox.
/// </summary>
internal static class NatsFaults
{
    public static async Task<int> RunAsync(FleetEnvironment environment, IReadOnlyList<TimeSpan> at, TimeSpan downFor, Stopwatch clock,
        TextWriter output, CancellationToken cancellationToken)
    {
        var c = CultureInfo.InvariantCulture;
        var injected = 0;
        foreach (var moment in at.Order())
        {
            var wait = moment - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }
            var killedNats = environment.NatsServers[(injected + 1) % environment.NatsServers.Count];
            await killedNats.StopAsync(graceful: false);
            output.WriteLine(string.Create(c, $"  fault: nats-server killed (SIGKILL) at t={clock.Elapsed.TotalSeconds:0.0}s (:{killedNats.Port})"));
            await Task.Delay(downFor, cancellationToken);
            await killedNats.StartAgainAsync(cancellationToken);
            output.WriteLine(string.Create(c, $"  fault: nats-server serving again at t={clock.Elapsed.TotalSeconds:0.0}s"));
            injected++;
        }
        return injected;
    }
}
