using Horizon.FleetSim.Fleet;
using Horizon.FleetSim.Options;
using Xunit;

namespace Horizon.FleetSim.Tests;

/// <summary>
/// The small version of the fault harness (issue 24): a formation and a rollout of 30 nodes in
/// three node processes while, one at a time, the agbot process is SIGKILLed and restarted and
/// SIGSTOPped for longer than the nodes' heartbeat, the switchboard process and a node process
/// are SIGKILLed and restarted, nats-server too, the first node process's link to NATS is cut
/// at a TCP relay, and a running node leaves (unregisters) and joins again. After each fault the nodes registered by then must converge within 60 s: one
/// agreement per healthy node on both sides, none stranded or duplicated, no workload started
/// twice, no mailbox envelope handled twice.
/// </summary>
public sealed class ChaosRunTests
{
    [Fact]
    public async Task EveryFaultDuringFormationAndRollout_ConvergesWithinAMinute_WithNothingLostOrDuplicated()
    {
        var options = FleetOptions.Default with
        {
            Count = 30,
            RegistrationRate = 1.5,
            RejectFraction = 0.1,
            NodesPerProcess = 10,
            HeartbeatInterval = TimeSpan.FromSeconds(3),
            Seed = 24,
            Timeout = TimeSpan.FromMinutes(3),
            TokenHashIterations = 1_000,
            Chaos = ChaosFaultNames.Parse("all"),
            ChaosGap = TimeSpan.FromSeconds(1.5),
            FaultsPerPhase = 7,
            CutFor = TimeSpan.FromSeconds(4),
            Rollout = true,
            RolloutBatchSize = 2,
        };
        using var output = new StringWriter();

        var report = await FleetSimulator.RunAsync(options, output);

        Assert.True(report.Settled, "the fleet did not settle under faults:\n" + output);
        Assert.True(report.Violations.Count == 0, "violations:\n" + string.Join('\n', report.Violations) + "\n" + output);
        var formation = report.Faults.Where(f => f.Phase == "formation").ToList();
        Assert.Equal(Enum.GetValues<ChaosFault>().Order(), formation.Select(f => f.Fault).Distinct().Order());
        Assert.Contains(report.Faults, f => f.Phase == "rollout");
        Assert.All(report.Faults, f => Assert.True(f.ConvergedSeconds <= 60, $"{f.Name} at t={f.AtSeconds:0.0}s took {f.ConvergedSeconds:0.0} s"));
        Assert.True(report.Rollout is { Complete: true }, "the rollout did not complete under faults:\n" + output);
        Assert.True(report.EnvelopesHandled > 0);
        Assert.Equal(FleetPlan.For(options).CountOf(NodeBehaviour.Healthy), report.AgbotFinalized);
    }
}
