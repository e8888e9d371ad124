using Horizon.FleetSim.Fleet;
using Horizon.FleetSim.Options;
using Xunit;

namespace Horizon.FleetSim.Tests;

/// <summary>
/// A small real run: 20 simulated node agents against a real nats-server, exchange and agbot,
/// with rejecting, crash-looping and offline nodes mixed in, then a new version rolled out.
/// </summary>
public sealed class FleetRunTests
{
    private static readonly FleetOptions Run = FleetOptions.Default with
    {
        Count = 20,
        RejectFraction = 0.15,
        CrashLoopFraction = 0.1,
        OfflineFraction = 0.05,
        Seed = 7,
        Timeout = TimeSpan.FromSeconds(45),
        TokenHashIterations = 1_000,
        Rollout = true,
    };

    [Fact]
    public async Task SmallFleet_FormsAgreementsOnHealthyNodes_NoneOnRejectingOnes_AndUpgradesThemAll()
    {
        using var output = new StringWriter();
        var report = await FleetSimulator.RunAsync(Run, output);
        var plan = FleetPlan.For(Run);

        Assert.True(report.Settled, "the fleet did not settle:\n" + output);
        Assert.Equal(0, report.RegistrationFailures);
        Assert.Equal(plan.CountOf(NodeBehaviour.Healthy), report.SettledByBehaviour[NodeBehaviour.Healthy]);
        Assert.Equal(plan.CountOf(NodeBehaviour.Healthy), report.LatenciesMs.Length);
        // Every rejecting node declined a proposal and never ran the workload.
        Assert.Equal(3, plan.CountOf(NodeBehaviour.Rejecting));
        Assert.Equal(3, report.SettledByBehaviour[NodeBehaviour.Rejecting]);
        Assert.Equal(0, report.RejectingWithWorkload);
        // Crash-looping nodes gave their agreements up and told the agbot.
        Assert.Equal(plan.CountOf(NodeBehaviour.CrashLooping), report.SettledByBehaviour[NodeBehaviour.CrashLooping]);
        // The agbot's store agrees: at least one finalized agreement per healthy node, none for rejecting ones.
        Assert.True(report.AgbotFinalized >= plan.CountOf(NodeBehaviour.Healthy), $"agbot finalized {report.AgbotFinalized}");
        // A new version reaches every healthy node through the agbot's batched updates.
        Assert.NotNull(report.Rollout);
        Assert.True(report.Rollout.Complete, "the rollout did not complete:\n" + output);
        Assert.Equal(0, report.Rollout.Refused);
        // The summary says what each agreement and each upgrade cost the components together.
        using var summary = new StringWriter();
        report.Print(summary);
        Assert.Matches(@"per agreement: [0-9.]+ cpu-ms \(.*exchange [0-9.]+.*\); [0-9]+ cpu-s on [0-9]+ cores is at least [0-9]+ s", summary.ToString());
        Assert.Matches(@"per upgrade: [0-9.]+ cpu-ms", summary.ToString());
    }
}
