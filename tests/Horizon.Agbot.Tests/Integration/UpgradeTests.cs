using System.Text;
using Horizon.Agbot.Storage;
using Horizon.Agbot.Tests.Support;
using Horizon.Agreements;
using Xunit;

namespace Horizon.Agbot.Tests.Integration;

/// <summary>docs/upgrades.md, agbot side, against scripted nodes that answer updates as the test says.</summary>
public sealed class UpgradeTests
{
    private static Action<List<string>> Upgrades(int batchSize, double threshold) => a => a.AddRange(
    [
        $"--Agbot:Upgrades:BatchSize={batchSize}",
        $"--Agbot:Upgrades:SuccessThreshold={threshold.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
        "--Agbot:ReplyTimeout=00:01:00",
    ]);

    [Fact]
    public async Task NewVersion_MovesAgreementsInBatches_TheNextBatchNotBeforeAnOutcome_AcrossAnAgbotRestart()
    {
        await using var bed = await AgbotTestBed.StartAsync(patternVersions: ["1.0.0"]);
        await bed.StartAgbotAsync(Upgrades(2, 0.5));
        var nodes = await StartNodesAsync(bed, 4);
        var before = await bed.WaitForAgreementsAsync(r => r.Count(a => a.State == AgreementState.Finalized && a.ServiceVersion == "1.0.0") == 4, "agreements at 1.0.0");
        foreach (var node in nodes)
        {
            node.UpdateAnswer = _ => null; // Hold every answer: the test decides when a batch has outcomes.
        }

        await bed.PutPatternAsync(["2.0.0", "1.0.0"]);
        var first = await WaitForUpdatedNodesAsync(nodes, 2);
        await Task.Delay(2000); // several upgrade passes
        Assert.Equal(first, Updated(nodes));
        Assert.Equal(["node1", "node2"], first.Select(n => n.Address.Id)); // oldest agreements first

        // The agbot stops while the first batch is unanswered; the answers wait in its mailbox.
        await bed.StopAgbotAsync();
        foreach (var node in first)
        {
            var update = node.Messages<UpdateAgreement>().Single();
            Assert.Equal("2.0.0", update.Terms.Service.Version);
            await node.SendAsync(new UpdateAgreementReply { AgreementId = update.AgreementId, Accepted = true });
        }
        await bed.StartAgbotAsync(Upgrades(2, 0.5));
        var all = await WaitForUpdatedNodesAsync(nodes, 4);
        foreach (var node in all.Except(first))
        {
            var update = node.Messages<UpdateAgreement>().Single();
            await node.SendAsync(new UpdateAgreementReply { AgreementId = update.AgreementId, Accepted = true });
        }

        var after = await bed.WaitForAgreementsAsync(r => r.Count(a => a.State == AgreementState.Finalized && a.ServiceVersion == "2.0.0" && !a.IsUpdating) == 4, "agreements at 2.0.0");
        Assert.Equal(before.Select(a => a.Id).Order(), after.Select(a => a.Id).Order()); // updated in place, not renegotiated
        Assert.All(after, a => Assert.Contains("\"2.0.0\"", a.ProposalJson, StringComparison.Ordinal));
        Assert.All(nodes, n => Assert.Empty(n.Messages<CancelAgreement>()));
        await WaitUntilAsync(async () => (await bed.Store.ListRolloutsAsync($"{bed.Org}/{AgbotTestBed.AgbotId}")).Any(r => r.State == RolloutState.Completed), "rollout not completed");
        var rollout = Assert.Single(await bed.Store.ListRolloutsAsync($"{bed.Org}/{AgbotTestBed.AgbotId}"));
        Assert.Equal("2.0.0", rollout.Version);
        var members = await bed.Store.ListRolloutMembersAsync(rollout.Agbot, rollout.Workload, rollout.Version);
        Assert.Equal([1, 1, 2, 2], members.Select(m => m.Batch));
        Assert.All(members, m => Assert.Equal(UpdateOutcome.Accepted, m.Outcome));
    }

    [Fact]
    public async Task BatchThatMetTheThreshold_LetsTheNextStart_WhileItsSlowestNodeHasNotAnswered()
    {
        await using var bed = await AgbotTestBed.StartAsync(patternVersions: ["1.0.0"]);
        await bed.StartAgbotAsync(Upgrades(2, 0.5));
        var nodes = await StartNodesAsync(bed, 6);
        await bed.WaitForAgreementsAsync(r => r.Count(a => a.State == AgreementState.Finalized) == 6, "agreements at 1.0.0");
        foreach (var node in nodes)
        {
            node.UpdateAnswer = _ => null;
        }

        await bed.PutPatternAsync(["2.0.0", "1.0.0"]);
        Assert.Equal(["node1", "node2"], (await WaitForUpdatedNodesAsync(nodes, 2)).Select(n => n.Address.Id));
        await AcceptAsync(nodes[0]);
        // One of two accepted meets 0.5: node2's silence no longer holds the rollout.
        Assert.Equal(["node1", "node2", "node3", "node4"], (await WaitForUpdatedNodesAsync(nodes, 4)).Select(n => n.Address.Id));

        await RefuseAsync(nodes[2]);
        await Task.Delay(2000); // several upgrade passes
        // One of two refused and one still silent: undecided, so the third batch waits.
        Assert.Equal(4, Updated(nodes).Count);

        await AcceptAsync(nodes[3]);
        Assert.Equal(6, (await WaitForUpdatedNodesAsync(nodes, 6)).Count);
        foreach (var node in new[] { nodes[1], nodes[4], nodes[5] })
        {
            await AcceptAsync(node);
        }
        await WaitUntilAsync(async () => (await bed.Store.ListRolloutsAsync($"{bed.Org}/{AgbotTestBed.AgbotId}")).Any(r => r.State == RolloutState.Completed), "rollout not completed");
        var after = await bed.Store.ListAsync(new AgreementQuery { State = AgreementState.Finalized });
        Assert.Equal(["1.0.0", "2.0.0", "2.0.0", "2.0.0", "2.0.0", "2.0.0"], after.OrderBy(a => a.NodeId == "node3" ? 0 : 1).Select(a => a.ServiceVersion));
        var rollout = Assert.Single(await bed.Store.ListRolloutsAsync($"{bed.Org}/{AgbotTestBed.AgbotId}"));
        var members = await bed.Store.ListRolloutMembersAsync(rollout.Agbot, rollout.Workload, rollout.Version);
        Assert.Equal([1, 1, 2, 2, 3, 3], members.Select(m => m.Batch).Order());
        Assert.Equal(5, members.Count(m => m.Outcome == UpdateOutcome.Accepted));
        Assert.All(nodes, n => Assert.Empty(n.Messages<CancelAgreement>()));
    }

    private static Task AcceptAsync(ScriptedNode node) => AnswerAsync(node, true);

    private static Task RefuseAsync(ScriptedNode node) => AnswerAsync(node, false);

    private static async Task AnswerAsync(ScriptedNode node, bool accepted)
    {
        var update = node.Messages<UpdateAgreement>().Single();
        await node.SendAsync(accepted
            ? new UpdateAgreementReply { AgreementId = update.AgreementId, Accepted = true }
            : new UpdateAgreementReply { AgreementId = update.AgreementId, Accepted = false, Reason = 113, Message = "pull failed" });
    }

    [Fact]
    public async Task BatchBelowTheThreshold_IsRolledBackWithTheOldTerms_AndTheRolloutStops()
    {
        await using var bed = await AgbotTestBed.StartAsync(patternVersions: ["1.0.0"]);
        await bed.StartAgbotAsync(Upgrades(2, 0.9));
        var nodes = await StartNodesAsync(bed, 4);
        var before = await bed.WaitForAgreementsAsync(r => r.Count(a => a.State == AgreementState.Finalized) == 4, "agreements at 1.0.0");
        nodes[1].UpdateAnswer = u => new UpdateAgreementReply { AgreementId = u.AgreementId, Accepted = false, Reason = 113, Message = "pull failed" };

        await bed.PutPatternAsync(["2.0.0", "1.0.0"]);
        await WaitUntilAsync(() => nodes[0].Messages<UpdateAgreement>().Count == 2, "node1 got no rollback");
        var updates = nodes[0].Messages<UpdateAgreement>().ToList();
        Assert.Equal(["2.0.0", "1.0.0"], updates.Select(u => u.Terms.Service.Version));
        var original = (Proposal)AgreementCodec.Decode(Encoding.UTF8.GetBytes(before.Single(a => a.NodeId == "node1").ProposalJson));
        Assert.Equal(original.Terms.Service.Deployment, updates[1].Terms.Service.Deployment);
        Assert.Equal(original.Terms.Service.DeploymentSignature, updates[1].Terms.Service.DeploymentSignature);
        Assert.Single(nodes[1].Messages<UpdateAgreement>()); // refused: nothing to roll back

        var after = await bed.WaitForAgreementsAsync(r => r.Count(a => a.State == AgreementState.Finalized && a.ServiceVersion == "1.0.0" && !a.IsUpdating) == 4, "agreements back on 1.0.0");
        await Task.Delay(2000); // several upgrade passes: the stopped rollout sends nothing more
        Assert.Empty(nodes[2].Messages<UpdateAgreement>());
        Assert.Empty(nodes[3].Messages<UpdateAgreement>());
        Assert.Equal(before.Select(a => a.Id).Order(), after.Select(a => a.Id).Order());
        var rollout = Assert.Single(await bed.Store.ListRolloutsAsync($"{bed.Org}/{AgbotTestBed.AgbotId}"));
        Assert.Equal(("2.0.0", RolloutState.Stopped), (rollout.Version, rollout.State));
        var members = await bed.Store.ListRolloutMembersAsync(rollout.Agbot, rollout.Workload, rollout.Version);
        Assert.Equal([UpdateOutcome.RolledBack, UpdateOutcome.Refused], members.OrderBy(m => before.Single(a => a.Id == m.AgreementId).NodeId, StringComparer.Ordinal).Select(m => m.Outcome));
    }

    [Fact]
    public async Task RefusedUpdate_KeepsTheAgreementInForceOnTheOldVersion()
    {
        await using var bed = await AgbotTestBed.StartAsync(patternVersions: ["1.0.0"]);
        await bed.StartAgbotAsync(Upgrades(1, 0.9));
        var node = (await StartNodesAsync(bed, 1))[0];
        node.UpdateAnswer = u => new UpdateAgreementReply { AgreementId = u.AgreementId, Accepted = false, Reason = 112, Message = "digest mismatch" };
        var before = Assert.Single(await bed.WaitForAgreementsAsync(r => r.Any(a => a.State == AgreementState.Finalized), "agreement at 1.0.0"));

        await bed.PutPatternAsync(["2.0.0", "1.0.0"]);
        var update = await node.NextAsync<UpdateAgreement>();
        Assert.Equal((before.Id, "2.0.0"), (update.AgreementId, update.Terms.Service.Version));
        await WaitUntilAsync(async () => (await bed.Store.ListRolloutsAsync($"{bed.Org}/{AgbotTestBed.AgbotId}")).Any(r => r.State == RolloutState.Stopped), "rollout not stopped");
        var after = await bed.Store.GetAsync(before.Id);
        Assert.Equal((AgreementState.Finalized, "1.0.0", false), (after!.State, after.ServiceVersion, after.IsUpdating));
        Assert.Equal(before.ProposalJson, after.ProposalJson);
        Assert.Single(node.Messages<UpdateAgreement>());
        Assert.Empty(node.Messages<CancelAgreement>());
        Assert.Single(await bed.Store.ListAsync(new AgreementQuery()));
    }

    /// <summary>Starts and registers nodes one after the other, each agreement finalized before the next node registers.</summary>
    internal static async Task<List<ScriptedNode>> StartNodesAsync(AgbotTestBed bed, int count)
    {
        var nodes = new List<ScriptedNode>();
        for (var i = 1; i <= count; i++)
        {
            var node = await ScriptedNode.StartAsync(bed, $"node{i}");
            bed.Own(node);
            await node.RegisterAsync(bed);
            await node.NextAsync<ReplyAck>();
            await bed.WaitForAgreementsAsync(r => r.Count(a => a.State == AgreementState.Finalized) == i, $"node{i} not finalized");
            nodes.Add(node);
        }
        return nodes;
    }

    private static List<ScriptedNode> Updated(List<ScriptedNode> nodes) => nodes.Where(n => n.Messages<UpdateAgreement>().Any()).ToList();

    private static async Task<List<ScriptedNode>> WaitForUpdatedNodesAsync(List<ScriptedNode> nodes, int count)
    {
        await WaitUntilAsync(() => Updated(nodes).Count >= count, $"fewer than {count} nodes got an update");
        return Updated(nodes);
    }

    internal static Task WaitUntilAsync(Func<bool> condition, string what) => WaitUntilAsync(() => Task.FromResult(condition()), what);

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(what);
            }
            await Task.Delay(50);
        }
    }
}
