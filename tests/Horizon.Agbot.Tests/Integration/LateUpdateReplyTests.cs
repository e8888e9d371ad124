using System.Text;
using Horizon.Agbot.Storage;
using Horizon.Agbot.Tests.Support;
using Horizon.Agreements;
using Xunit;
using static Horizon.Agbot.Tests.Integration.UpgradeTests;

namespace Horizon.Agbot.Tests.Integration;

/// <summary>
/// A node that refuses an update while another of the same agreement is still running (no reason
/// code) and answers the first one late: the agbot must end up believing the terms the node runs.
/// </summary>
public sealed class LateUpdateReplyTests
{
    [Fact]
    public async Task TimedOutUpdate_AcceptedLateAfterTheRollbackWasRefusedAsBusy_IsRolledBackAgain_AndTheRecordMatchesTheNode()
    {
        await using var bed = await AgbotTestBed.StartAsync(patternVersions: ["1.0.0"]);
        await bed.StartAgbotAsync(a => a.AddRange(
        [
            "--Agbot:Upgrades:BatchSize=1", "--Agbot:Upgrades:SuccessThreshold=0.9",
            "--Agbot:ReplyTimeout=00:00:02", "--Agbot:Upgrades:RollbackRetryDelay=00:00:01.500",
        ]));
        var node = (await StartNodesAsync(bed, 1))[0];
        // On a loaded machine a first proposal may miss the 2 s reply timeout and be followed by another: the finalized one counts.
        var before = (await bed.WaitForAgreementsAsync(r => r.Any(a => a.State == AgreementState.Finalized), "agreement at 1.0.0"))
            .Single(a => a.State == AgreementState.Finalized);
        var running = Terms(before.ProposalJson); // what the node runs, as the node agent would apply it
        var updates = 0;
        node.UpdateAnswer = u =>
        {
            switch (Interlocked.Increment(ref updates))
            {
                case 1:
                    return null; // still pulling and starting 2.0.0 when the agbot gives up on it
                case 2:
                    return new UpdateAgreementReply { AgreementId = u.AgreementId, Accepted = false, Message = "an update of this agreement is running" };
                default:
                    running = u.Terms;
                    return new UpdateAgreementReply { AgreementId = u.AgreementId, Accepted = true };
            }
        };

        await bed.PutPatternAsync(["2.0.0", "1.0.0"]);
        await WaitUntilAsync(() => node.Messages<UpdateAgreement>().Count == 2, "no rollback after the update timed out");
        var agbot = $"{bed.Org}/{AgbotTestBed.AgbotId}";
        var rollout = Assert.Single(await bed.Store.ListRolloutsAsync(agbot));
        Assert.Equal(("2.0.0", RolloutState.Stopped), (rollout.Version, rollout.State));
        await WaitUntilAsync(async () => (await bed.Store.ListRolloutMembersAsync(agbot, rollout.Workload, rollout.Version)) is [{ Outcome: UpdateOutcome.RollingBack, RollbackAttempts: 1 }],
            "the busy refusal did not leave the rollback due again");

        // The first update finishes on the node and is answered late.
        var first = node.Messages<UpdateAgreement>()[0];
        Assert.Equal("2.0.0", first.Terms.Service.Version);
        running = first.Terms;
        await node.SendAsync(new UpdateAgreementReply { AgreementId = before.Id, Accepted = true });
        await WaitUntilAsync(async () => (await bed.Store.GetAsync(before.Id))?.ServiceVersion == "2.0.0", "the late acceptance was not recorded");

        await WaitUntilAsync(() => node.Messages<UpdateAgreement>().Count == 3, "the rollback was not sent again");
        var after = await bed.WaitForAgreementsAsync(r => r.Any(a => a.Id == before.Id && a.ServiceVersion == "1.0.0" && !a.IsUpdating), "agreement back on 1.0.0");
        var record = after.Single(a => a.Id == before.Id);
        Assert.Equal(["2.0.0", "1.0.0", "1.0.0"], node.Messages<UpdateAgreement>().Select(u => u.Terms.Service.Version));
        Assert.Equal("1.0.0", running.Service.Version);
        var believed = Terms(record.ProposalJson);
        Assert.Equal((running.Service.Version, running.Service.Deployment, running.Service.DeploymentSignature),
            (believed.Service.Version, believed.Service.Deployment, believed.Service.DeploymentSignature));
        Assert.Null(record.UnansweredJson);
        Assert.Equal(AgreementState.Finalized, record.State);
        var member = Assert.Single(await bed.Store.ListRolloutMembersAsync(agbot, rollout.Workload, rollout.Version));
        Assert.Equal(UpdateOutcome.RolledBack, member.Outcome);
        Assert.DoesNotContain(node.Messages<CancelAgreement>(), c => c.AgreementId == before.Id);

        await Task.Delay(2000); // several upgrade passes: nothing more is sent once the node runs the old terms
        Assert.Equal(3, node.Messages<UpdateAgreement>().Count);
    }

    private static AgreementTerms Terms(string proposalJson) => ((Proposal)AgreementCodec.Decode(Encoding.UTF8.GetBytes(proposalJson))).Terms;
}
