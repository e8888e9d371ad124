using Horizon.Agbot.Storage;
using Horizon.Agbot.Tests.Support;
using Horizon.Agreements;
using Horizon.Exchange.Client;
using Xunit;

namespace Horizon.Agbot.Tests.Integration;

public sealed class NodeKeyRegistrationTests
{
    [Fact]
    public async Task NodeEvaluatedBeforeItsKeysWereRegistered_GetsItsAgreement_AsSoonAsTheKeysAreRecorded()
    {
        await using var bed = await AgbotTestBed.StartAsync();
        // A long reply timeout: the agreement must come from the key change, not from a 201 retry.
        await bed.StartAgbotAsync(a => a.Add("--Agbot:ReplyTimeout=00:05:00"));
        var node = await ScriptedNode.StartAsync(bed, "node1");
        bed.Own(node);
        await bed.User.PutNodeAsync(bed.Org, "node1", new ExchangeNode
        {
            Token = "node-token", Name = "node1", Pattern = $"{bed.Org}/{AgbotTestBed.PatternName}", Arch = "amd64",
        });
        var verdict = await WaitForVerdictAsync(bed, "node1");
        Assert.Contains(verdict.Reasons, r => r.Contains("encryption key", StringComparison.Ordinal));
        Assert.Empty(await bed.Store.ListAsync(new AgreementQuery { NodeId = "node1" }));

        await node.Exchange.PatchNodeAsync(bed.Org, "node1", new NodePatch { PublicKey = node.Keys.IdentityPublicKey, EncryptionKey = node.Keys.EncryptionPublicKey });

        var proposal = await node.NextAsync<Proposal>(TimeSpan.FromSeconds(15));
        var ack = await node.NextAsync<ReplyAck>(TimeSpan.FromSeconds(15));
        Assert.Equal(proposal.AgreementId, ack.AgreementId);
        var rows = await bed.WaitForAgreementsAsync(r => r.Any(a => a.State == AgreementState.Finalized), "no agreement after the keys were registered", TimeSpan.FromSeconds(15));
        Assert.Equal(proposal.AgreementId, Assert.Single(rows).Id);
        Assert.True((await bed.Store.ListCompatibilityAsync(bed.Org, "node1")).Single().IsCompatible);
    }

    private static async Task<NodeCompatibility> WaitForVerdictAsync(AgbotTestBed bed, string nodeId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if ((await bed.Store.ListCompatibilityAsync(bed.Org, nodeId)) is [var verdict])
            {
                return verdict;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"the agbot never evaluated {nodeId}");
    }
}
