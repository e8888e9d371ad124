using Horizon.Agbot.Storage;
using Horizon.Agbot.Tests.Support;
using Horizon.Agreements;
using Xunit;

namespace Horizon.Agbot.Tests.Integration;

public sealed class NodeUnregisteredTests
{
    [Fact]
    public async Task NodeDeletedFromTheExchange_HasItsAgreementCancelledWith210_AndTheAgbotStillStartsAndServesAfterwards()
    {
        await using var bed = await AgbotTestBed.StartAsync();
        await bed.StartAgbotAsync();
        var node = await ScriptedNode.StartAsync(bed, "node1");
        bed.Own(node);
        await node.RegisterAsync(bed);
        var proposal = await node.NextAsync<Proposal>();
        await node.NextAsync<ReplyAck>();
        await bed.WaitForAgreementsAsync(r => r.Any(a => a.State == AgreementState.Finalized), "agreement not finalized");
        await bed.WaitForExchangeRecordsAsync(r => r.Any(a => a.Id == proposal.AgreementId), "agreement not recorded in the exchange");

        await bed.User.DeleteNodeAsync(bed.Org, "node1");

        var rows = await bed.WaitForAgreementsAsync(r => r.All(a => a.State == AgreementState.Cancelled), "agreement of the deleted node still live");
        var cancelled = Assert.Single(rows);
        Assert.Equal(((int?)210, PendingMessage.None), (cancelled.CancelReason, cancelled.Pending));
        Assert.Equal(CancelReasons.Describe(210), cancelled.CancelMessage);
        await bed.WaitForExchangeRecordsAsync(r => r.All(a => a.Id != proposal.AgreementId), "agreement of the deleted node still recorded in the exchange");
        Assert.Empty(node.Messages<CancelAgreement>()); // nothing can be sealed for a node without keys

        // Nothing is left over that a restart would trip on, and the agbot goes on serving other nodes.
        await bed.StopAgbotAsync();
        await bed.StartAgbotAsync();
        var other = await ScriptedNode.StartAsync(bed, "node2");
        bed.Own(other);
        await other.RegisterAsync(bed);
        await other.NextAsync<ReplyAck>();
        rows = await bed.WaitForAgreementsAsync(r => r.Any(a => a.NodeId == "node2" && a.State == AgreementState.Finalized), "node2 not served");
        Assert.Single(rows, a => a.NodeId == "node1");
        Assert.Empty(await bed.Store.ListAsync(new AgreementQuery { PendingOnly = true }));
    }
}
