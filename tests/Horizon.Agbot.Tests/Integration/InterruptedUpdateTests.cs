using Horizon.Agbot.Storage;
using Horizon.Agbot.Tests.Support;
using Horizon.Agreements;
using Xunit;

namespace Horizon.Agbot.Tests.Integration;

/// <summary>
/// A node agent that stops while it switches to a new version answers the update, once it runs
/// again, with 116 (the old version runs again). That says nothing about the new version, so the
/// agbot sends the update again instead of counting a refusal: before, one node process killed
/// mid-rollout failed the batch and stopped the whole rollout (FleetSim --chaos, ChaosRunTests).
/// </summary>
public sealed class InterruptedUpdateTests
{
    [Fact]
    public async Task UpdateInterruptedByTheNodeAgentStopping_IsSentAgain_AndTheRolloutCompletes()
    {
        await using var bed = await AgbotTestBed.StartAsync(patternVersions: ["1.0.0"]);
        await bed.StartAgbotAsync(a => a.AddRange(
        [
            "--Agbot:Upgrades:BatchSize=1",
            "--Agbot:Upgrades:SuccessThreshold=0.9",
            "--Agbot:Upgrades:RollbackRetryDelay=00:00:01",
            "--Agbot:ReplyTimeout=00:01:00",
        ]));
        var nodes = await UpgradeTests.StartNodesAsync(bed, 2);
        var interrupted = 0;
        nodes[0].UpdateAnswer = u => Interlocked.Increment(ref interrupted) == 1
            ? new UpdateAgreementReply { AgreementId = u.AgreementId, Accepted = false, Reason = (int)CancelReason.NodeShutdown, Message = "the node agent stopped while switching; 1.0.0 runs again" }
            : new UpdateAgreementReply { AgreementId = u.AgreementId, Accepted = true };

        await bed.PutPatternAsync(["2.0.0", "1.0.0"]);

        await bed.WaitForAgreementsAsync(r => r.Count(a => a.State == AgreementState.Finalized && a.ServiceVersion == "2.0.0" && !a.IsUpdating) == 2,
            "both agreements on 2.0.0", TimeSpan.FromSeconds(60));
        Assert.Equal(["2.0.0", "2.0.0"], nodes[0].Messages<UpdateAgreement>().Select(u => u.Terms.Service.Version));
        Assert.Single(nodes[1].Messages<UpdateAgreement>());
        await UpgradeTests.WaitUntilAsync(async () => (await bed.Store.ListRolloutsAsync($"{bed.Org}/{AgbotTestBed.AgbotId}")).Any(r => r.State == RolloutState.Completed),
            "the rollout did not complete");
        var rollout = Assert.Single(await bed.Store.ListRolloutsAsync($"{bed.Org}/{AgbotTestBed.AgbotId}"));
        var members = await bed.Store.ListRolloutMembersAsync(rollout.Agbot, rollout.Workload, rollout.Version);
        Assert.All(members, m => Assert.Equal(UpdateOutcome.Accepted, m.Outcome));
    }
}
