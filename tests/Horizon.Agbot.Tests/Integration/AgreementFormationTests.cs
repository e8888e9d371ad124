using System.Diagnostics;
using System.Net.Http.Json;
using Horizon.Agbot.Storage;
using Horizon.Agbot.Tests.Support;
using Horizon.Agreements;
using Xunit;
using Xunit.Abstractions;

namespace Horizon.Agbot.Tests.Integration;

public sealed class AgreementFormationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RegisteredNode_GetsASignedProposalOfThePreferredVersion_AndTheAgreementIsFinalizedAndRecorded()
    {
        await using var bed = await AgbotTestBed.StartAsync();
        await bed.StartAgbotAsync();
        var node = await ScriptedNode.StartAsync(bed, "node1");
        bed.Own(node);
        var clock = Stopwatch.StartNew();
        await node.RegisterAsync(bed);
        var proposal = await node.NextAsync<Proposal>();
        var ack = await node.NextAsync<ReplyAck>();
        var elapsed = clock.Elapsed;
        output.WriteLine($"node registration -> replyack received: {elapsed.TotalMilliseconds:0} ms");

        Assert.True(ack.Proceed);
        Assert.Equal(proposal.AgreementId, ack.AgreementId);
        Assert.Equal(("web", "2.0.0", $"{bed.Org}/{AgbotTestBed.PatternName}", $"{bed.Org}/{AgbotTestBed.AgbotId}"),
            (proposal.Terms.Service.Url, proposal.Terms.Service.Version, proposal.Terms.Pattern, proposal.Terms.Agbot));
        Assert.Equal(1, proposal.Terms.Priority);
        Assert.False(string.IsNullOrEmpty(proposal.Terms.Service.DeploymentSignature));
        var rows = await bed.WaitForAgreementsAsync(r => r.Any(a => a.State == AgreementState.Finalized), "agreement not finalized");
        var agreement = Assert.Single(rows);
        Assert.Equal(proposal.AgreementId, agreement.Id);
        await bed.WaitForExchangeRecordsAsync(r => r.Any(a => a.Id == agreement.Id && a.State == "finalized"), "agreement not recorded in the exchange");

        using var http = new HttpClient { BaseAddress = bed.AgbotApi };
        var active = await http.GetFromJsonAsync<List<Horizon.Agbot.Api.AgreementView>>("agreements?status=active");
        Assert.Equal(agreement.Id, Assert.Single(active!).Id);
        using var unknownStatus = await http.GetAsync(new Uri("agreements?status=sleeping", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, unknownStatus.StatusCode);
        using var unknownId = await http.GetAsync(new Uri("agreements/nope", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknownId.StatusCode);
    }

    [Fact]
    public async Task NodeThatDeclines_IsRecordedAs202_AndProposedToAgainLater()
    {
        await using var bed = await AgbotTestBed.StartAsync();
        await bed.StartAgbotAsync();
        var node = await ScriptedNode.StartAsync(bed, "node1");
        bed.Own(node);
        node.Answer = (p, n) => new ProposalReply { AgreementId = p.AgreementId, Decision = n > 1, Reason = n > 1 ? null : 115, Message = "signature check failed" };
        await node.RegisterAsync(bed);
        var first = await node.NextAsync<Proposal>();
        var second = await node.NextAsync<Proposal>();
        Assert.NotEqual(first.AgreementId, second.AgreementId);
        var rows = await bed.WaitForAgreementsAsync(r => r.Any(a => a.State == AgreementState.Finalized), "no agreement after the retry");
        var declined = Assert.Single(rows, r => r.Id == first.AgreementId);
        Assert.Equal(((int?)202, AgreementState.Cancelled), (declined.CancelReason, declined.State));
        Assert.Contains("115", declined.CancelMessage, StringComparison.Ordinal);
        Assert.Single(rows, r => r.IsLive);
    }

    [Fact]
    public async Task NodeThatDoesNotReply_IsCancelledWith201_AndProposedToAgain()
    {
        await using var bed = await AgbotTestBed.StartAsync();
        await bed.StartAgbotAsync();
        var node = await ScriptedNode.StartAsync(bed, "node1");
        bed.Own(node);
        node.Answer = (p, n) => n == 1 ? null : new ProposalReply { AgreementId = p.AgreementId, Decision = true };
        await node.RegisterAsync(bed);
        var silent = await node.NextAsync<Proposal>();
        var cancel = await node.NextAsync<CancelAgreement>();
        Assert.Equal((silent.AgreementId, 201), (cancel.AgreementId, cancel.Reason));
        var retried = await node.NextAsync<Proposal>();
        await node.NextAsync<ReplyAck>();
        var rows = await bed.WaitForAgreementsAsync(r => r.Any(a => a.Id == retried.AgreementId && a.State == AgreementState.Finalized), "retry not finalized");
        Assert.Equal(2, rows.Count);
    }

    [Fact]
    public async Task CancelFromTheNode_IsRecorded_AndTheAgbotFallsBackToTheLowerPriorityVersion()
    {
        await using var bed = await AgbotTestBed.StartAsync();
        await bed.StartAgbotAsync();
        var node = await ScriptedNode.StartAsync(bed, "node1");
        bed.Own(node);
        await node.RegisterAsync(bed);
        var first = await node.NextAsync<Proposal>();
        await node.NextAsync<ReplyAck>();
        Assert.Equal("2.0.0", first.Terms.Service.Version);
        await bed.WaitForAgreementsAsync(r => r.Any(a => a.State == AgreementState.Finalized), "first agreement not finalized");
        await node.SendAsync(new CancelAgreement { AgreementId = first.AgreementId, Reason = 103, Message = "container exited 7 times" });
        var fallback = await node.NextAsync<Proposal>();
        Assert.Equal(("1.0.0", 2), (fallback.Terms.Service.Version, fallback.Terms.Priority));
        var rows = await bed.WaitForAgreementsAsync(r => r.Any(a => a.Id == fallback.AgreementId && a.State == AgreementState.Finalized), "fallback not finalized");
        var cancelled = Assert.Single(rows, r => r.Id == first.AgreementId);
        Assert.Equal((int?)103, cancelled.CancelReason);
        await bed.WaitForExchangeRecordsAsync(r => r.All(a => a.Id != first.AgreementId), "cancelled agreement still recorded in the exchange");
    }
}
