using Horizon.Agbot.Leases;
using Horizon.Agbot.Storage;
using Horizon.Agbot.Tests.Support;
using Horizon.Testing.Postgres;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Horizon.Agbot.Tests.Integration;

/// <summary>Two instances of one agbot on one real PostgreSQL, splitting the nodes by leased partitions.</summary>
public sealed class ScaleOutTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task TwoInstancesSplitTheNodes_AndWhenOneDies_TheSurvivorTakesOverItsNodesAfterTheLeasesExpire_EachNodeWithOneAgreement()
    {
        await using var bed = await AgbotTestBed.StartAsync();
        var database = await postgres.Server.CreateDatabaseAsync("agbotscale");
        Action<List<string>> Instance(string id) => a => a.AddRange(
        [
            $"--Agbot:PostgresConnectionString={database}", $"--Agbot:InstanceId={id}", "--Agbot:ReplyTimeout=00:00:05",
            "--Agbot:Leases:Partitions=2", "--Agbot:Leases:Duration=00:00:03", "--Agbot:Leases:RenewInterval=00:00:00.300",
        ]);
        await using var store = new PostgresAgreementStore(database);
        var a = await bed.StartInstanceAsync(bed.State.Combine("agbot-a"), Instance("a"));
        WebApplication? b = null;
        try
        {
            b = await bed.StartInstanceAsync(bed.State.Combine("agbot-b"), Instance("b"));
            var keeperA = a.Services.GetRequiredService<LeaseKeeper>();
            var keeperB = b.Services.GetRequiredService<LeaseKeeper>();
            await WaitUntilAsync(() => Task.FromResult(keeperA.Partitions.Count == 1 && keeperB.Partitions.Count == 1), "the instances did not split the two partitions");
            var partitionOfB = keeperB.Partitions.Single();
            Assert.NotEqual(partitionOfB, keeperA.Partitions.Single());

            // Three nodes in each partition: two served while both instances run, one registered as B dies.
            var ids = Enumerable.Range(1, 200).Select(i => $"node{i}").GroupBy(id => NodePartition.Of(bed.Org, id, 2))
                .ToDictionary(g => g.Key, g => g.Take(3).ToList());
            var early = ids.Values.SelectMany(l => l.Take(2)).ToList();
            var late = ids.Values.Select(l => l[2]).ToList();
            var nodes = new Dictionary<string, ScriptedNode>(StringComparer.Ordinal);
            foreach (var id in early.Concat(late))
            {
                nodes[id] = await ScriptedNode.StartAsync(bed, id);
                bed.Own(nodes[id]);
            }
            foreach (var id in early)
            {
                await nodes[id].RegisterAsync(bed);
            }
            await WaitForAgreementsAsync(store, early, "both instances serving their nodes");
            Assert.Equal(2, early.Count(id => keeperB.Owns(bed.Org, id)));

            foreach (var id in late)
            {
                await nodes[id].RegisterAsync(bed);
            }
            // Killed mid-run: no clean stop, so its leases stay in PostgreSQL until they expire.
            await b.DisposeAsync();
            b = null;

            await WaitUntilAsync(() => Task.FromResult(keeperA.Partitions.Count == 2), "the survivor did not take the dead instance's partition", TimeSpan.FromSeconds(20));
            var rows = await WaitForAgreementsAsync(store, early.Concat(late).ToList(), "every node served after the takeover");
            var lease = (await store.ListLeasesAsync()).Single(l => l.Name == NodePartition.LeaseName(partitionOfB));
            Assert.Equal(keeperA.Holder, lease.Holder);
            Assert.Contains(late, id => NodePartition.Of(bed.Org, id, 2) == partitionOfB && rows.Any(r => r.NodeId == id && r.State == AgreementState.Finalized));
            await Task.Delay(2000); // more governance and discovery passes by the survivor
            var final = await store.ListAsync(new AgreementQuery());
            foreach (var id in early.Concat(late))
            {
                var live = Assert.Single(final, r => r.NodeId == id && r.IsLive);
                Assert.Equal(AgreementState.Finalized, live.State);
            }
        }
        finally
        {
            if (b is not null)
            {
                await b.StopAsync();
                await b.DisposeAsync();
            }
            await a.StopAsync();
            await a.DisposeAsync();
        }
    }

    /// <summary>Waits until each of <paramref name="nodes"/> has exactly one live agreement, and it is finalized.</summary>
    private static async Task<IReadOnlyList<AgreementRecord>> WaitForAgreementsAsync(PostgresAgreementStore store, List<string> nodes, string what)
    {
        IReadOnlyList<AgreementRecord> rows = [];
        // The mailbox redelivers a message the dead instance took but never acknowledged after 30 s.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            rows = await store.ListAsync(new AgreementQuery());
            if (nodes.All(id => rows.Count(r => r.NodeId == id && r.IsLive) == 1 && rows.Any(r => r.NodeId == id && r.State == AgreementState.Finalized)))
            {
                return rows;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{what}; agreements: {string.Join(", ", rows.Select(r => $"{r.NodeId} {r.State} {r.CancelReason}"))}");
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
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
