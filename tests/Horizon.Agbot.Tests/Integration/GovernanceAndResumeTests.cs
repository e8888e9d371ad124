using Horizon.Agbot.Storage;
using Horizon.Agbot.Tests.Support;
using Horizon.Agreements;
using Xunit;

namespace Horizon.Agbot.Tests.Integration;

public sealed class GovernanceAndResumeTests
{
    [Fact]
    public async Task NodeThatStopsHeartbeating_HasItsAgreementCancelledWith208()
    {
        await using var bed = await AgbotTestBed.StartAsync(missingHeartbeatInterval: 2);
        await bed.StartAgbotAsync();
        var node = await ScriptedNode.StartAsync(bed, "node1");
        bed.Own(node);
        await node.RegisterAsync(bed);
        var proposal = await node.NextAsync<Proposal>();
        Assert.Equal(2, proposal.Terms.NodeHealth!.MissingHeartbeatInterval);
        await node.NextAsync<ReplyAck>();
        var cancel = await node.NextAsync<CancelAgreement>(TimeSpan.FromSeconds(20));
        Assert.Equal((proposal.AgreementId, 208), (cancel.AgreementId, cancel.Reason));
        var stored = await bed.Store.GetAsync(proposal.AgreementId);
        Assert.Equal((AgreementState.Cancelled, (int?)208), (stored!.State, stored.CancelReason));
    }

    [Fact]
    public async Task AgreementTheNodeNoLongerHolds_IsCancelledWith209()
    {
        await using var bed = await AgbotTestBed.StartAsync(missingHeartbeatInterval: 600);
        await bed.StartAgbotAsync();
        var node = await ScriptedNode.StartAsync(bed, "node1");
        bed.Own(node);
        node.Holds = _ => false;
        await node.RegisterAsync(bed);
        var proposal = await node.NextAsync<Proposal>();
        await node.NextAsync<ReplyAck>();
        await node.NextAsync<VerifyAgreement>(TimeSpan.FromSeconds(20));
        var cancel = await node.NextAsync<CancelAgreement>(TimeSpan.FromSeconds(20));
        Assert.Equal((proposal.AgreementId, 209), (cancel.AgreementId, cancel.Reason));
    }

    [Fact]
    public async Task ReplySentWhileTheAgbotIsDown_IsActedOnAfterRestart_AndTheNodeEndsWithOneAgreement()
    {
        await using var bed = await AgbotTestBed.StartAsync();
        await bed.StartAgbotAsync(a => a.Add("--Agbot:ReplyTimeout=00:01:00"));
        var node = await ScriptedNode.StartAsync(bed, "node1");
        bed.Own(node);
        node.Answer = (_, _) => null; // Hold the reply until the agbot is gone.
        await node.RegisterAsync(bed);
        var proposal = await node.NextAsync<Proposal>();
        await bed.StopAgbotAsync();
        await node.SendAsync(new ProposalReply { AgreementId = proposal.AgreementId, Decision = true });
        await bed.StartAgbotAsync(a => a.Add("--Agbot:ReplyTimeout=00:01:00"));
        var ack = await node.NextAsync<ReplyAck>();
        Assert.Equal(proposal.AgreementId, ack.AgreementId);
        var rows = await bed.WaitForAgreementsAsync(r => r.Any(a => a.State == AgreementState.Finalized), "not finalized after restart");
        Assert.Equal(proposal.AgreementId, Assert.Single(rows).Id);
        await Task.Delay(1500); // a rescan and a feed poll pass after the restart
        Assert.Single(node.All.OfType<Proposal>());
    }

    [Fact]
    public async Task ProposalRecordedButNotSentBeforeACrash_IsSentOnResume()
    {
        await using var bed = await AgbotTestBed.StartAsync();
        var node = await ScriptedNode.StartAsync(bed, "node1");
        bed.Own(node);
        // The node exists but the agbot crashed right after recording its proposal, before sending it.
        await bed.StartAgbotAsync();
        await bed.StopAgbotAsync();
        var id = AgreementId.New();
        var proposal = new Proposal { AgreementId = id, Terms = new AgreementTerms { Agbot = $"{bed.Org}/{AgbotTestBed.AgbotId}", Pattern = $"{bed.Org}/{AgbotTestBed.PatternName}" } };
        await using (var store = new SqliteAgreementStore(bed.State.Combine("agbot", "agreements.db")))
        {
            var now = DateTimeOffset.UtcNow;
            Assert.True(await store.TryInsertAsync(new AgreementRecord
            {
                Id = id, NodeOrg = bed.Org, NodeId = "node1", Workload = $"pattern:{bed.Org}/{AgbotTestBed.PatternName}:{bed.Org}/web",
                Source = $"{bed.Org}/{AgbotTestBed.PatternName}", ServiceOrg = bed.Org, ServiceUrl = "web", ServiceVersion = "2.0.0", Arch = "amd64",
                State = AgreementState.Proposed, Pending = PendingMessage.Proposal, Agbot = $"{bed.Org}/{AgbotTestBed.AgbotId}",
                ProposalJson = System.Text.Encoding.UTF8.GetString(AgreementCodec.Encode(proposal)), CreatedAt = now, UpdatedAt = now, ReplyDeadline = now.AddMinutes(1),
            }));
        }
        await node.RegisterAsync(bed);
        await bed.StartAgbotAsync();
        var resent = await node.NextAsync<Proposal>();
        Assert.Equal(id, resent.AgreementId);
        await node.NextAsync<ReplyAck>();
        var rows = await bed.WaitForAgreementsAsync(r => r.Any(a => a.State == AgreementState.Finalized), "resumed proposal not finalized");
        Assert.Equal(id, Assert.Single(rows).Id);
    }
}
