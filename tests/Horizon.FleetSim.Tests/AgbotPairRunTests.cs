using Horizon.FleetSim.Fleet;
using Horizon.FleetSim.Options;
using Xunit;

namespace Horizon.FleetSim.Tests;

/// <summary>
/// Scale-out of issue 24: two instances of one agbot share a PostgreSQL store and split the nodes by
/// leases; one of them (picked at random) is SIGKILLed during the formation and stays down longer than
/// its leases last, so the survivor must take its partitions over — resume what it left pending and
/// find its nodes — before it comes back. Every fault converges within 60 s, and each healthy node
/// ends with exactly one agreement, on both sides; none duplicated by the two instances.
/// </summary>
public sealed class AgbotPairRunTests
{
    [Fact]
    public async Task OneOfTwoLeasedAgbotsKilledMidFormation_TheFleetConvergesWithOneAgreementPerNode()
    {
        var options = FleetOptions.Default with
        {
            Count = 20,
            RegistrationRate = 1.5,
            RejectFraction = 0.1,
            NodesPerProcess = 10,
            HeartbeatInterval = TimeSpan.FromSeconds(3),
            Seed = 7,
            Timeout = TimeSpan.FromMinutes(2),
            TokenHashIterations = 1_000,
            Agbots = 2,
            Chaos = [ChaosFault.AgbotKill],
            ChaosGap = TimeSpan.FromSeconds(1.5),
            FaultsPerPhase = 2,
            DownFor = TimeSpan.FromSeconds(12),
        };
        using var output = new StringWriter();

        var report = await FleetSimulator.RunAsync(options, output);

        Assert.True(report.Settled, "the fleet did not settle:\n" + output);
        Assert.True(report.Violations.Count == 0, "violations:\n" + string.Join('\n', report.Violations) + "\n" + output);
        Assert.True(report.Faults.Count(f => f.Fault == ChaosFault.AgbotKill) >= 2, output.ToString());
        Assert.All(report.Faults, f => Assert.True(f.ConvergedSeconds <= 60, $"{f.Name} {f.Target} at t={f.AtSeconds:0.0}s took {f.ConvergedSeconds:0.0} s"));
        Assert.Equal(FleetPlan.For(options).CountOf(NodeBehaviour.Healthy), report.AgbotFinalized);
    }
}
