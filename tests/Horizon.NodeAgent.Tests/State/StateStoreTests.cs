using Horizon.Agreements;
using Horizon.NodeAgent.Decisions;
using Horizon.NodeAgent.Registration;
using Horizon.NodeAgent.State;
using Horizon.NodeAgent.Tests.Support;
using Horizon.Testing;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Horizon.NodeAgent.Tests.State;

/// <summary>The agent's stores on real SQLite files: cancellation, and the schema's one migration step.</summary>
public sealed class StateStoreTests : IDisposable
{
    private readonly TempDirectory _state = new("hzn-state");

    public void Dispose() => _state.Dispose();

    private string DatabaseFile => _state.Combine("agent.db");

    [Fact]
    public async Task StoreCalls_WithACancelledToken_Throw_AndWriteNothing()
    {
        var database = new AgentDatabase(DatabaseFile);
        await database.MigrateAsync();
        var agreements = new AgreementStore(database, TimeProvider.System);
        var proposals = new ProposalStore(database, TimeProvider.System);
        var outbox = new NodeOutbox(database, TimeProvider.System);
        var events = new EventLog(database, TimeProvider.System);
        var upgrades = new UpgradeStore(database, TimeProvider.System);
        var id = AgreementId.New();
        var terms = Services.Terms(Services.Service("cancel.test", Services.Deployment(("web", "example/web@sha256:" + new string('a', 64), Services.Sleeper()))));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => agreements.AddAsync(id, terms, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => proposals.RecordAsync(id, "acme/agbot", terms, new ProposalDecision(true, null, "ok"), cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => outbox.AddAsync("acme/agbot", new CancelAgreement { AgreementId = id, Reason = 105 }, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => events.RecordAsync(id, "test.step", "never written", cancellationToken: cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => upgrades.BeginAsync(id, "acme/agbot", terms, terms, cancelled.Token));

        Assert.Empty(await agreements.ListAsync());
        Assert.Null(await proposals.GetAcceptedAsync(id, "acme/agbot"));
        Assert.Empty(await outbox.ListDueAsync());
        Assert.Empty(await events.QueryAsync(id));
        Assert.Null(await upgrades.GetAsync(id));

        // Ending a stored agreement with a cancelled token neither ends it nor owes its agbot a cancel.
        await agreements.AddAsync(id, terms);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            agreements.EndAndOweCancelAsync(id, AgreementState.Terminated, CancelReason.NodeUserRequested, "cancelled", cancelled.Token));
        Assert.Equal(AgreementState.Starting, (await agreements.GetAsync(id))!.State);
        Assert.Empty(await outbox.ListDueAsync());
    }

    [Fact]
    public async Task StateChanges_WithTheirEventLogStep_CommitBoth_OrNeither()
    {
        var database = new AgentDatabase(DatabaseFile);
        await database.MigrateAsync();
        var agreements = new AgreementStore(database, TimeProvider.System);
        var proposals = new ProposalStore(database, TimeProvider.System);
        var events = new EventLog(database, TimeProvider.System);
        var id = AgreementId.New();
        var terms = Services.Terms(Services.Service("fold.test", Services.Deployment(("web", "example/web@sha256:" + new string('a', 64), Services.Sleeper()))));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => proposals.RecordAsync(id, "acme/agbot", terms, new ProposalDecision(true, null, "ok"),
            new AgentEvent(id, "proposal.accepted", "never written"), cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => agreements.AddAsync(id, terms, new AgentEvent(id, "agreement.starting", "never written"), cancelled.Token));
        Assert.Empty(await events.QueryAsync(id));
        Assert.Empty(await agreements.ListAsync());

        await proposals.RecordAsync(id, "acme/agbot", terms, new ProposalDecision(true, null, "ok"), new AgentEvent(id, "proposal.accepted", "from acme/agbot"));
        await agreements.AddAsync(id, terms, new AgentEvent(id, "agreement.starting", "fold.test"));
        await agreements.SetStateAsync(id, AgreementState.Running, null, null, new AgentEvent(id, "agreement.running", "runs"));
        // A state change of an agreement the node does not hold writes no step either.
        Assert.False(await agreements.SetStateAsync(AgreementId.New(), AgreementState.Running, null, null, new AgentEvent(id, "agreement.running", "never written")));
        await agreements.EndAndOweCancelAsync(id, AgreementState.Failed, CancelReason.ContainerFailure, "died", new AgentEvent(id, "agreement.failed", "died", CancelReason.ContainerFailure));

        Assert.Equal(["proposal.accepted", "agreement.starting", "agreement.running", "agreement.failed"], (await events.QueryAsync(id)).Select(e => e.Kind));
        Assert.Equal((int)CancelReason.ContainerFailure, (await events.QueryAsync(id))[^1].Reason);
        Assert.Equal(AgreementState.Failed, (await agreements.GetAsync(id))!.State);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task RegistrationStore_WithACancelledToken_KeepsTheStoredRegistration()
    {
        using var store = new RegistrationStore(_state.Path);
        await store.LoadAsync();
        await store.SetAsync(new NodeRegistration { Org = "acme", Id = "node1", Token = "first" });
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.SetAsync(new NodeRegistration { Org = "acme", Id = "node1", Token = "second" }, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.SetAsync(null, cancelled.Token));

        using var restarted = new RegistrationStore(_state.Path);
        await restarted.LoadAsync();
        Assert.Equal("first", restarted.Current?.Token);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_state.Combine("registration.json")));
    }

    [Fact]
    public async Task Stores_BeforeTheMigration_AreRefused()
    {
        var database = new AgentDatabase(DatabaseFile);
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => new AgreementStore(database, TimeProvider.System).ListAsync());
        Assert.Contains("MigrateAsync", failure.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(DatabaseFile));
        using var registrations = new RegistrationStore(_state.Path);
        Assert.Throws<InvalidOperationException>(() => registrations.Current);
    }

    [Fact]
    public async Task Migration_OfANewFile_RunsOnce_AndASecondStartOnTheFileDoesNotRunItAgain()
    {
        var first = new AgentDatabase(DatabaseFile);
        Assert.Equal(0, await first.MigrateAsync());
        Assert.Equal(AgentDatabase.SchemaVersion, await UserVersionAsync());
        await new EventLog(first, TimeProvider.System).RecordAsync(null, "test.kept", "written between the two starts");

        var second = new AgentDatabase(DatabaseFile);
        Assert.Equal(AgentDatabase.SchemaVersion, await second.MigrateAsync());
        Assert.Equal(AgentDatabase.SchemaVersion, await second.MigrateAsync());
        Assert.Single(await new EventLog(second, TimeProvider.System).QueryAsync(), e => e.Kind == "test.kept");
    }

    [Fact]
    public async Task Migration_OfAFileFromBeforeTheNumbering_AddsTheRestInOneStep_AndKeepsItsRows()
    {
        // An agent from before user_version created its tables one by one; this one got as far as agreements.
        await ExecuteAsync("""
            CREATE TABLE agreements (id TEXT PRIMARY KEY, state TEXT NOT NULL, terms TEXT NOT NULL, reason INTEGER NULL,
                message TEXT NULL, created TEXT NOT NULL, updated TEXT NOT NULL);
            INSERT INTO agreements VALUES ('old', 'Running', '{}', NULL, NULL, '2026-11-01T00:00:00.0000000Z', '2026-11-01T00:00:00.0000000Z');
            """);

        var database = new AgentDatabase(DatabaseFile);
        Assert.Equal(0, await database.MigrateAsync());

        Assert.Equal(AgentDatabase.SchemaVersion, await UserVersionAsync());
        Assert.Equal(["agreements", "events", "outbox", "proposals", "upgrades"], await TablesAsync());
        Assert.Equal(AgreementState.Running, (await new AgreementStore(database, TimeProvider.System).GetAsync("old"))!.State);
    }

    [Fact]
    public async Task Migration_ThatFailsPartWay_LeavesTheOldSchema()
    {
        // An events table without agreement_id: the step creates agreements, then fails on the events index.
        await ExecuteAsync("CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, kind TEXT NOT NULL, message TEXT NOT NULL)");

        var database = new AgentDatabase(DatabaseFile);
        await Assert.ThrowsAsync<SqliteException>(() => database.MigrateAsync());

        Assert.Equal(0, await UserVersionAsync());
        Assert.Equal(["events"], await TablesAsync());
        await Assert.ThrowsAsync<InvalidOperationException>(() => new EventLog(database, TimeProvider.System).QueryAsync());
    }

    [Fact]
    public async Task Migration_OfAFileFromANewerAgent_IsRefused()
    {
        await ExecuteAsync("PRAGMA user_version = 99");
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => new AgentDatabase(DatabaseFile).MigrateAsync());
        Assert.Contains("newer", failure.Message, StringComparison.Ordinal);
        Assert.Equal(99, await UserVersionAsync());
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabaseFile};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> UserVersionAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={DatabaseFile};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<List<string>> TablesAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={DatabaseFile};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }
        return names;
    }
}
