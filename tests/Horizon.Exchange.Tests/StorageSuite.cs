using Dapper;
using Horizon.Exchange.Storage;
using Horizon.Testing;
using Horizon.Testing.Postgres;
using Horizon.Exchange.Tests.Support;
using Xunit;

namespace Horizon.Exchange.Tests;

/// <summary>
/// The storage contract, run on every provider: the stores above are one implementation and the
/// providers must agree on every behaviour they rely on.
/// </summary>
public abstract class StorageSuite : IAsyncLifetime
{
    private IStorageProvider? _storage;

    protected abstract Task<IStorageProvider> CreateProviderAsync();

    private IStorageProvider Storage => _storage ?? throw new InvalidOperationException("not initialized");
    private ChangeLog Changes => new(Storage, TimeProvider.System);
    private NodeStore Nodes => new(Storage, Changes);
    private IdentityStore Identities => new(Storage, Changes);
    private AttachmentStore Attachments => new(Storage, Changes);
    private DefinitionStore Definitions => new(Storage, Changes);

    public async Task InitializeAsync()
    {
        _storage = await CreateProviderAsync();
        await _storage.MigrateAsync();
    }

    public virtual async Task DisposeAsync()
    {
        if (_storage is not null)
        {
            await _storage.DisposeAsync();
        }
    }

    private static NodeRecord Node(string id, string publicKey = "", string pattern = "o/p") =>
        new() { Org = "o", Id = id, Owner = "o/u", TokenHash = "h", Pattern = pattern, PublicKey = publicKey, Arch = "amd64", LastUpdated = "t" };

    [Fact]
    public async Task Migrate_TwiceIsHarmless()
    {
        // The fixture migrated already: running again (as a second process starting would) keeps the
        // version, whatever number of steps the schema has by now.
        var version = await Storage.MigrateAsync();
        Assert.True(version >= 2, $"schema version {version}: tables, then the grants index, at least");
        Assert.Equal(version, await Storage.MigrateAsync());
    }

    [Fact]
    public async Task Node_SavedThenRead_IsTheSame()
    {
        var saved = await Nodes.SaveAsync(Node("n1") with { Document = """{"a":1}""" }, 100);
        Assert.Equal(WriteOutcome.Created, saved.Outcome);
        var read = await Nodes.GetAsync("o", "n1");
        Assert.Equal(Node("n1") with { Document = """{"a":1}""" }, read);
    }

    [Fact]
    public async Task Node_WithDifferentKey_IsAKeyConflict_EmptyKeyKeepsTheStoredOne()
    {
        await Nodes.SaveAsync(Node("n1", "key-a"), 100);
        Assert.Equal(WriteOutcome.KeyConflict, (await Nodes.SaveAsync(Node("n1", "key-b"), 100)).Outcome);
        Assert.Equal(WriteOutcome.Updated, (await Nodes.SaveAsync(Node("n1", "") with { Name = "x" }, 100)).Outcome);
        var read = await Nodes.GetAsync("o", "n1");
        Assert.Equal(("key-a", "x"), (read!.PublicKey, read.Name));
    }

    [Fact]
    public async Task NodeLimit_IsEnforcedAndFreedByDelete()
    {
        await Nodes.SaveAsync(Node("n1"), 2);
        await Nodes.SaveAsync(Node("n2"), 2);
        Assert.Equal(WriteOutcome.LimitReached, (await Nodes.SaveAsync(Node("n3"), 2)).Outcome);
        await Nodes.DeleteAsync("o", "n1");
        Assert.Equal(WriteOutcome.Created, (await Nodes.SaveAsync(Node("n3"), 2)).Outcome);
    }

    [Fact]
    public async Task Heartbeat_OfUnknownNode_IsFalse_OfKnownNode_IsStored()
    {
        Assert.False(await Nodes.HeartbeatAsync("o", "nope", 5));
        await Nodes.SaveAsync(Node("n1"), 100);
        Assert.True(await Nodes.HeartbeatAsync("o", "n1", 12345));
        Assert.Equal(12345, (await Nodes.GetAsync("o", "n1"))!.LastHeartbeat);
    }

    [Fact]
    public async Task HeartbeatMany_StoresKnownNodes_SkipsUnknownOnes_AndNeverMovesBackwards()
    {
        await Nodes.SaveAsync(Node("n1"), 100);
        await Nodes.SaveAsync(Node("n2"), 100);
        Assert.Equal(2, await Nodes.HeartbeatManyAsync([new("o", "n1", 500), new("o", "n2", 700), new("o", "gone", 900)]));
        Assert.Equal(1, await Nodes.HeartbeatManyAsync([new("o", "n1", 400), new("o", "n2", 800)]));
        Assert.Equal(500, (await Nodes.GetAsync("o", "n1"))!.LastHeartbeat);
        Assert.Equal(800, (await Nodes.GetAsync("o", "n2"))!.LastHeartbeat);
    }

    [Fact]
    public async Task RecordedHeartbeat_IsReadAtOnceThroughItsStore_AndStoredByTheFlush()
    {
        var nodes = Nodes;
        await nodes.SaveAsync(Node("n1"), 100);
        nodes.RecordHeartbeat("o", "n1", 4000);
        nodes.RecordHeartbeat("o", "n1", 3000); // an older beat arriving late never wins
        Assert.Equal(4000, (await nodes.GetAsync("o", "n1"))!.LastHeartbeat);
        Assert.Equal(4000, (await nodes.ListAsync("o", null, "", 10))[0].LastHeartbeat);
        Assert.Equal(0, (await Nodes.GetAsync("o", "n1"))!.LastHeartbeat); // not in the database yet
        Assert.Equal(1, await nodes.FlushHeartbeatsAsync());
        Assert.Equal(4000, (await Nodes.GetAsync("o", "n1"))!.LastHeartbeat);
        Assert.Equal(0, await nodes.FlushHeartbeatsAsync());
    }

    [Fact]
    public async Task SearchesFilteringOnHeartbeatAge_SeeRecordedHeartbeats()
    {
        var nodes = Nodes;
        await nodes.SaveAsync(Node("n1"), 100);
        await nodes.SaveAsync(Node("n2"), 100);
        nodes.RecordHeartbeat("o", "n2", 5000);
        Assert.Equal(["n2"], (await nodes.SearchByPatternAsync("o/p", ["o"], null, 3000, ("", ""), 10)).Select(n => n.Id));
        nodes.RecordHeartbeat("o", "n1", 6000);
        Assert.Equal(["n1", "n2"], (await nodes.ListWithPolicyAsync("o", 3000, "", 10)).Select(r => r.Node.Id));
    }

    [Fact]
    public async Task DeletedNode_LosesItsRecordedHeartbeat_AndANewNodeOfThatIdDoesNotInheritIt()
    {
        var nodes = Nodes;
        await nodes.SaveAsync(Node("n1"), 100);
        nodes.RecordHeartbeat("o", "n1", 4000);
        await nodes.DeleteAsync("o", "n1");
        await nodes.SaveAsync(Node("n1"), 100);
        await nodes.FlushHeartbeatsAsync();
        Assert.Equal(0, (await nodes.GetAsync("o", "n1"))!.LastHeartbeat);
    }

    [Fact]
    public async Task ConcurrentWrites_AFailingOneFailsAlone_AndLeavesNothingBehind_TheOthersCommit()
    {
        // Writes arriving together share a transaction; each failure must roll back only its own part.
        var writes = Enumerable.Range(0, 60).Select(i => Task.Run(async () =>
        {
            switch (i % 10)
            {
                case 3:
                    await Storage.WriteAsync<int>(async (connection, transaction) =>
                    {
                        await connection.ExecuteAsync("INSERT INTO counters (name, value) VALUES (@name, 1)", new { name = $"half-done-{i}" }, transaction);
                        throw new InvalidOperationException("the work failed after writing");
                    });
                    return;
                case 7:
                    await Storage.WriteAsync(async (connection, transaction) =>
                        await connection.ExecuteAsync("INSERT INTO nosuchtable (x) VALUES (1)", transaction: transaction));
                    return;
                default:
                    await Nodes.SaveAsync(Node($"ok{i}"), 1_000);
                    return;
            }
        })).ToList();
        foreach (var (write, i) in writes.Select((w, i) => (w, i)))
        {
            switch (i % 10)
            {
                case 3:
                    await Assert.ThrowsAsync<InvalidOperationException>(() => write);
                    break;
                case 7:
                    await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => write);
                    break;
                default:
                    await write;
                    break;
            }
        }
        Assert.Equal(48, (await Nodes.ListAsync("o", null, "", 100)).Count);
        await using var connection = await Storage.OpenAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM counters WHERE name LIKE 'half-done-%'"));
        var (changes, _, _) = await Changes.ReadAsync(["o"], 1, 1000);
        Assert.Equal(Enumerable.Range(1, 48).Select(i => (long)i), changes.Select(c => c.Id));
    }

    [Fact]
    public async Task ConcurrentRegistrations_RefusedOnesAndAFailingWrite_LeaveTheOthersWhole_WithOneChangeEach()
    {
        // Registrations arriving together share a transaction and its change-feed write; a refusal
        // (limit, key conflict) or a write that throws must not cost the others their node or change.
        await Nodes.SaveAsync(Node("keyed", "key-a"), 1_000);
        var writes = Enumerable.Range(0, 80).Select(i => Task.Run(async () => i switch
        {
            < 60 => (await Nodes.SaveAsync(Node($"r{i:D2}") with { Document = $$"""{"i":{{i}}}""" }, 41)).Outcome,
            < 70 => (await Nodes.SaveAsync(Node("keyed", "key-b"), 1_000)).Outcome,
            _ => await Storage.WriteAsync<WriteOutcome>(async (connection, transaction) =>
            {
                await connection.ExecuteAsync("INSERT INTO nodes (org, id) VALUES ('o', 'broken')", transaction: transaction);
                return WriteOutcome.Created;
            }),
        })).ToList();
        var outcomes = new List<WriteOutcome>();
        foreach (var (write, i) in writes.Select((w, i) => (w, i)))
        {
            if (i >= 70)
            {
                await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => write);
                continue;
            }
            outcomes.Add(await write);
        }
        Assert.Equal(40, outcomes.Take(60).Count(o => o == WriteOutcome.Created));
        Assert.Equal(20, outcomes.Take(60).Count(o => o == WriteOutcome.LimitReached));
        Assert.All(outcomes.Skip(60), o => Assert.Equal(WriteOutcome.KeyConflict, o));
        var stored = (await Nodes.ListAsync("o", null, "", 1_000)).Where(n => n.Id.StartsWith('r')).ToList();
        Assert.Equal(40, stored.Count);
        Assert.All(stored, n => Assert.Equal($$"""{"i":{{int.Parse(n.Id[1..], System.Globalization.CultureInfo.InvariantCulture)}}}""", n.Document));
        Assert.Equal("key-a", (await Nodes.GetAsync("o", "keyed"))!.PublicKey);
        var (changes, watermark, _) = await Changes.ReadAsync(["o"], 1, 1_000);
        Assert.Equal(Enumerable.Range(1, 41).Select(i => (long)i), changes.Select(c => c.Id));
        Assert.Equal(41, watermark);
        Assert.Equal(stored.Select(n => n.Id).Append("keyed").Order(StringComparer.Ordinal),
            changes.Select(c => c.ResourceId).Order(StringComparer.Ordinal));
        // The node count kept in step: one more node fits under a cap of 42, the next does not.
        Assert.Equal(WriteOutcome.Created, (await Nodes.SaveAsync(Node("last"), 42)).Outcome);
        Assert.Equal(WriteOutcome.LimitReached, (await Nodes.SaveAsync(Node("over"), 42)).Outcome);
    }

    [Fact]
    public async Task ConcurrentSavesOfOneNewNode_CreateItOnce_AndUpdateItForTheRest()
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
            (await Nodes.SaveAsync(Node("same") with { Name = $"v{i}" }, 1_000)).Outcome)));
        Assert.Equal(1, outcomes.Count(o => o == WriteOutcome.Created));
        Assert.Equal(19, outcomes.Count(o => o == WriteOutcome.Updated));
        Assert.Single(await Nodes.ListAsync("o", null, "", 100));
        var (changes, _, _) = await Changes.ReadAsync(["o"], 1, 100);
        Assert.Equal(["created"], changes.Where(c => c.Operation == "created").Select(c => c.Operation));
        Assert.Equal(20, changes.Count);
        // Counted once: a cap of 2 leaves room for exactly one more node.
        Assert.Equal(WriteOutcome.Created, (await Nodes.SaveAsync(Node("other"), 2)).Outcome);
        Assert.Equal(WriteOutcome.LimitReached, (await Nodes.SaveAsync(Node("third"), 2)).Outcome);
    }

    [Fact]
    public async Task PatternSearch_PagesByOrgAndId_AndFiltersStaleNodes()
    {
        for (var i = 0; i < 5; i++)
        {
            await Nodes.SaveAsync(Node($"n{i}"), 100);
            await Nodes.HeartbeatAsync("o", $"n{i}", i * 1000);
        }
        await Nodes.SaveAsync(Node("x", pattern: "o/other"), 100);
        var first = await Nodes.SearchByPatternAsync("o/p", ["o"], null, 0, ("", ""), 3);
        var second = await Nodes.SearchByPatternAsync("o/p", ["o"], null, 0, (first[^1].Org, first[^1].Id), 3);
        Assert.Equal(["n0", "n1", "n2", "n3", "n4"], first.Concat(second).Select(n => n.Id));
        var fresh = await Nodes.SearchByPatternAsync("o/p", ["o"], "amd64", 3000, ("", ""), 10);
        Assert.Equal(["n3", "n4"], fresh.Select(n => n.Id));
    }

    [Fact]
    public async Task PatternSearch_OverSeveralOrgs_PagesThroughEveryNodeOnce_InOrgThenIdOrder()
    {
        foreach (var (org, id) in new[] { ("o", "b"), ("o", "a"), ("q", "a"), ("o2", "c"), ("q", "b"), ("o", "c") })
        {
            await Nodes.SaveAsync(Node(id) with { Org = org }, 100);
        }
        await Nodes.SaveAsync(Node("z") with { Org = "q", Pattern = "o/other" }, 100);
        var seen = new List<string>();
        (string Org, string Id) after = ("", "");
        for (var page = 0; page < 10; page++)
        {
            var rows = await Nodes.SearchByPatternAsync("o/p", ["q", "o", "o2"], null, 0, after, 2);
            seen.AddRange(rows.Select(r => $"{r.Org}/{r.Id}"));
            if (rows.Count < 2)
            {
                break;
            }
            after = (rows[^1].Org, rows[^1].Id);
        }
        Assert.Equal(["o/a", "o/b", "o/c", "o2/c", "q/a", "q/b"], seen);
    }

    [Fact]
    public async Task NodesWithPolicy_AndAgreementsSince_ComeBackForTheAskedNodes()
    {
        await Nodes.SaveAsync(Node("n1"), 100);
        await Nodes.SaveAsync(Node("n2"), 100);
        var change = new ChangeIntent("o", "nodepolicy", "n1", "modified");
        await Attachments.PutAsync(new AttachmentRecord { Kind = AttachmentKinds.NodePolicy, Org = "o", Parent = "n1", Key = "", Document = "{\"p\":1}", LastUpdated = "2026-01-02" }, change);
        await Attachments.PutAsync(new AttachmentRecord { Kind = AttachmentKinds.NodeAgreement, Org = "o", Parent = "n2", Key = "a", Document = "{}", LastUpdated = "2026-01-03" }, change);
        var withPolicy = await Nodes.ListWithPolicyAsync("o", 0, "", 10);
        Assert.Equal([("n1", "{\"p\":1}"), ("n2", "")], withPolicy.Select(r => (r.Node.Id, r.Policy)));
        Assert.Single(await Attachments.ListSinceAsync(AttachmentKinds.NodeAgreement, "o", ["n1", "n2"], "2026-01-02"));
        Assert.Empty(await Attachments.ListSinceAsync(AttachmentKinds.NodeAgreement, "o", ["n2"], "2026-01-04"));
    }

    [Fact]
    public async Task Attachments_PutGetListDelete()
    {
        var change = new ChangeIntent("o", "nodeagreements", "n1", "modified");
        await Attachments.PutAsync(new AttachmentRecord { Kind = "nodeagreement", Org = "o", Parent = "n1", Key = "a1", Document = "{}", LastUpdated = "t" }, change);
        await Attachments.PutAsync(new AttachmentRecord { Kind = "nodeagreement", Org = "o", Parent = "n1", Key = "a1", Document = """{"v":2}""", LastUpdated = "t2" }, change);
        Assert.Equal("""{"v":2}""", (await Attachments.GetAsync("nodeagreement", "o", "n1", "a1"))!.Document);
        Assert.Single(await Attachments.ListAsync("nodeagreement", "o", "n1"));
        Assert.Equal(WriteOutcome.Updated, (await Attachments.DeleteAsync("nodeagreement", "o", "n1", "a1", change)).Outcome);
        Assert.Equal(WriteOutcome.NotFound, (await Attachments.DeleteAsync("nodeagreement", "o", "n1", "a1", change)).Outcome);
    }

    [Fact]
    public async Task Definitions_PublicFilter_AndServiceLimit()
    {
        await Definitions.SaveAsync(new DefinitionRecord { Kind = "service", Org = "o", Id = "a", IsPublic = 1, Document = "{}" }, 2);
        await Definitions.SaveAsync(new DefinitionRecord { Kind = "service", Org = "o", Id = "b", IsPublic = 0, Document = "{}" }, 2);
        Assert.Equal(WriteOutcome.LimitReached, (await Definitions.SaveAsync(new DefinitionRecord { Kind = "service", Org = "o", Id = "c", Document = "{}" }, 2)).Outcome);
        Assert.Equal(["a"], (await Definitions.ListAsync("service", "o", publicOnly: true)).Select(d => d.Id));
        Assert.Equal(2, (await Definitions.ListAsync("service", "o", publicOnly: false)).Count);
    }

    [Fact]
    public async Task Credentials_AreFoundForUsersNodesAndAgbots()
    {
        await Identities.SaveUserAsync(new UserRecord { Org = "o", Username = "same", TokenHash = "uh", Admin = 1 });
        await Nodes.SaveAsync(Node("same"), 100);
        var rows = await Identities.FindCredentialsAsync("o", "same");
        Assert.Equal([1L, 2L], rows.Select(r => r.Kind));
        Assert.Equal(1, rows[0].Admin);
        Assert.Equal("o/u", rows[1].Owner);
    }

    [Fact]
    public async Task ChangeIds_UnderConcurrentWriters_AreGapFreeAndReadersNeverSkipOne()
    {
        const int writers = 8;
        const int writesEach = 50;
        var seen = new List<long>();
        var stop = false;
        var reader = Task.Run(async () =>
        {
            var from = 1L;
            while (true)
            {
                var finishing = Volatile.Read(ref stop);
                var (rows, watermark, _) = await Changes.ReadAsync(["o"], from, 1000);
                seen.AddRange(rows.Select(r => r.Id));
                from = (rows.Count > 0 ? rows[^1].Id : watermark) + 1;
                if (finishing && rows.Count == 0)
                {
                    return;
                }
            }
        });
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < writesEach; i++)
            {
                await Nodes.SaveAsync(Node($"w{w}-{i}"), 1_000_000);
            }
        })));
        Volatile.Write(ref stop, true);
        await reader;
        Assert.Equal(writers * writesEach, seen.Count);
        Assert.Equal(Enumerable.Range(1, writers * writesEach).Select(i => (long)i), seen);
    }
}

public sealed class SqliteStorageTests : StorageSuite, IDisposable
{
    private readonly TempDirectory _directory = new("hzn-exstore");

    protected override Task<IStorageProvider> CreateProviderAsync() =>
        Task.FromResult<IStorageProvider>(new SqliteStorageProvider(_directory.Combine("store.db")));

    public void Dispose() => _directory.Dispose();
}

[Collection(PostgresGroup.Name)]
public sealed class PostgresStorageTests(PostgresFixture postgres) : StorageSuite
{
    protected override async Task<IStorageProvider> CreateProviderAsync() =>
        new PostgresStorageProvider(await postgres.Server.CreateDatabaseAsync("exstore"));
}
