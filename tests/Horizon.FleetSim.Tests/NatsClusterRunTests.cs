using Horizon.FleetSim.Fleet;
using Horizon.FleetSim.Options;
using Xunit;

namespace Horizon.FleetSim.Tests;

/// <summary>
/// Scale-out of issue 24: three nats-servers routed into one JetStream cluster, the mailbox stream
/// at R3; the exchange and the switchboard on the first server, the agbot on the second, the node
/// processes spread over all three. The agbot's server is SIGKILLed early in the formation and kept
/// down for 10 s: the stream lives on in the other two, and the fleet must still settle with exactly
/// one agreement per healthy node on both sides — nothing lost, nothing duplicated.
/// </summary>
public sealed class NatsClusterRunTests
{
    [Fact]
    public async Task OneOfThreeClusteredServersKilledMidFormation_EveryHealthyNodeEndsWithItsOneAgreement()
    {
        var options = FleetOptions.Default with
        {
            Count = 30,
            RegistrationRate = 3,
            RejectFraction = 0.1,
            NodesPerProcess = 10,
            Seed = 3,
            Timeout = TimeSpan.FromSeconds(90),
            TokenHashIterations = 1_000,
            NatsServers = 3,
            KillNatsAt = [TimeSpan.FromSeconds(3)],
            NatsDownFor = TimeSpan.FromSeconds(10),
        };
        using var output = new StringWriter();

        var report = await FleetSimulator.RunAsync(options, output);

        Assert.Equal(1, report.FaultsInjected);
        Assert.True(report.Settled, "the fleet did not settle:\n" + output);
        Assert.True(report.Violations.Count == 0, "agbot and nodes disagree:\n" + string.Join('\n', report.Violations) + "\n" + output);
        Assert.Equal(FleetPlan.For(options).CountOf(NodeBehaviour.Healthy), report.AgbotFinalized);
    }
}
