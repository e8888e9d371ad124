using Horizon.FleetSim.Fleet;
using Horizon.FleetSim.Options;
using Xunit;

namespace Horizon.FleetSim.Tests;

/// <summary>
/// An edge site behind a NATS leaf node (issue 24), on real nats-server 2.9.10 processes: every node
/// agent of the fleet connects to a leaf server written by the switchboard's <c>nats-leaf</c>
/// (JetStream domain <c>edge</c>, the site's outbox), the agbot, switchboard and exchange to the hub
/// (domain <c>hub</c>, the mailbox stream sourcing the outbox). The leaf's uplink is cut for 20 s
/// while the fleet forms (<c>tools/chaos/leaf-site.sh</c> runs the 5-minute cut): the agreements in force
/// must stay in force (their workloads keep running, nothing is renegotiated), what the agbot sent during the
/// cut (proposals to nodes registering meanwhile) waits at the hub and reaches the nodes once it is back,
/// every reply goes through the site's outbox, and the fleet settles with exactly one agreement per
/// healthy node on both sides, no envelope handled twice.
/// </summary>
public sealed class LeafSiteRunTests
{
    [Fact]
    public async Task LeafUplinkCutFor20sMidFormation_AgreementsStay_AndEveryNodeEndsWithItsOneAgreement()
    {
        var options = FleetOptions.Default with
        {
            Count = 20,
            RegistrationRate = 1,
            NodesPerProcess = 10,
            Seed = 5,
            Timeout = TimeSpan.FromSeconds(150),
            TokenHashIterations = 1_000,
            InboxIdleCheck = TimeSpan.FromSeconds(10),
            LeafSite = true,
            CutLeafAt = TimeSpan.FromSeconds(6),
            CutLeafFor = TimeSpan.FromSeconds(20),
        };
        using var output = new StringWriter();

        var report = await FleetSimulator.RunAsync(options, output);

        Assert.Equal(1, report.FaultsInjected);
        Assert.True(report.Settled, "the fleet did not settle:\n" + output);
        Assert.True(report.Violations.Count == 0, "agbot and nodes disagree, or an agreement ended during the cut:\n" + string.Join('\n', report.Violations) + "\n" + output);
        Assert.Equal(FleetPlan.For(options).CountOf(NodeBehaviour.Healthy), report.AgbotFinalized);
        Assert.Matches(@"leaf cut: (\d+)/\1 agreements in force at the cut still in force", output.ToString());
        var queued = System.Text.RegularExpressions.Regex.Match(output.ToString(), @"stored during the cut: (\d+) at the hub");
        Assert.True(queued.Success && int.Parse(queued.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0,
            "nothing was sent to the site while it was cut off, so the run proved nothing about queuing:\n" + output);
    }
}
