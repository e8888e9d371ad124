using Horizon.Agbot.Storage;
using Horizon.Agbot.Tests.Support;
using Horizon.Agreements;
using Horizon.Switchboard.Mailboxes;
using NATS.Client.JetStream;
using Xunit;

namespace Horizon.Agbot.Tests.Integration;

/// <summary>
/// A proposal whose send fails (JetStream stores nothing and says so: here the mailbox stream is
/// gone; under FleetSim's faults, nats-server killed while it stored the proposal, "no response
/// received") stays recorded as pending. It must go out once sending works again, without an agbot
/// restart and long before the reply timeout: re-evaluating the node finds the live proposal and stops,
/// so before the fix the node waited for the 201 after the reply timeout and a retry after that
/// (ChaosRunTests and NatsFaultRunTests: the first node of each node process had no agreement 60 s
/// after nats-server was killed early in the formation).
/// </summary>
public sealed class UnsentProposalTests
{
    [Fact]
    public async Task ProposalWhoseSendFailed_IsSentOnceSendingWorksAgain_BeforeTheReplyTimeout()
    {
        await using var bed = await AgbotTestBed.StartAsync();
        await bed.StartAgbotAsync(a => a.AddRange(["--Agbot:ReplyTimeout=00:10:00", "--Agbot:ResendAfter=00:00:02", "--Agbot:GovernanceInterval=00:00:01"]));
        var jetStream = new NatsJSContext(bed.Admin);
        await jetStream.DeleteStreamAsync(MailboxSubjects.Stream);
        var node = await ScriptedNode.StartAsync(bed, "node1");
        bed.Own(node);

        await node.RegisterAsync(bed);
        var unsent = Assert.Single(await bed.WaitForAgreementsAsync(r => r.Any(a => a.State == AgreementState.Proposed && a.Pending == PendingMessage.Proposal),
            "no proposal recorded"));
        // Several governance passes with the stream still missing: each tries, and fails, to send it.
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Equal(PendingMessage.Proposal, (await bed.Store.GetAsync(unsent.Id))!.Pending);
        await MailboxStreamSetup.EnsureAsync(jetStream);

        var proposal = await node.NextAsync<Proposal>(TimeSpan.FromSeconds(30));
        Assert.Equal(unsent.Id, proposal.AgreementId);
        await node.NextAsync<ReplyAck>(TimeSpan.FromSeconds(30));
        var rows = await bed.WaitForAgreementsAsync(r => r.Any(a => a.State == AgreementState.Finalized), "the agreement was not finalized", TimeSpan.FromSeconds(30));
        Assert.Equal(unsent.Id, Assert.Single(rows).Id);
    }
}
