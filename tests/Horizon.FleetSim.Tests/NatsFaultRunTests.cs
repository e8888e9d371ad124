using Horizon.FleetSim.Fleet;
using Horizon.FleetSim.Options;
using Xunit;

namespace Horizon.FleetSim.Tests;

/// <summary>
/// A formation with nats-server killed (SIGKILL) twice while nodes are still registering, each time
/// restarted on the same store a second later: the fleet must still settle, and the agbot and the
/// nodes must agree — exactly one finalized agreement per healthy node, the one it runs, none for
/// rejecting nodes, no workload started twice (the convergence check of issue 24).
/// </summary>
public sealed class NatsFaultRunTests
{
    [Fact]
    public async Task NatsServerKilledTwiceMidFormation_EveryHealthyNodeEndsWithExactlyItsOneAgreement()
    {
        var options = FleetOptions.Default with
        {
            Count = 30,
            RegistrationRate = 5,
            RejectFraction = 0.1,
            Seed = 11,
            Timeout = TimeSpan.FromSeconds(120),
            TokenHashIterations = 1_000,
            KillNatsAt = [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4.5)],
            NatsDownFor = TimeSpan.FromSeconds(1),
        };
        using var output = new StringWriter();

        var report = await FleetSimulator.RunAsync(options, output);

        Assert.Equal(2, report.FaultsInjected);
        Assert.True(report.Settled, "the fleet did not settle after the kills:\n" + output);
        Assert.True(report.Violations.Count == 0, "agbot and nodes disagree:\n" + string.Join('\n', report.Violations) + "\n" + output);
        var plan = FleetPlan.For(options);
        Assert.Equal(plan.CountOf(NodeBehaviour.Healthy), report.AgbotFinalized);
        Assert.Contains("fault: nats-server killed (SIGKILL)", output.ToString(), StringComparison.Ordinal);
    }
}
