using Horizon.Agbot.Storage;
using Horizon.Testing;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Horizon.Agbot.Tests.Storage;

public sealed class SqliteSchemaUpgradeTests : IDisposable
{
    private readonly TempDirectory _directory = new("hzn-agbot-schema");

    [Fact]
    public async Task StoreCreatedBeforeUpdatesExisted_GainsTheUpdateColumns_AndKeepsItsAgreements()
    {
        var path = _directory.Combine("old.db");
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=false"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            // The agreement table as the first release created it.
            command.CommandText = """
                CREATE TABLE agbot_agreement (
                  id TEXT PRIMARY KEY, node_org TEXT NOT NULL, node_id TEXT NOT NULL, workload TEXT NOT NULL, source TEXT NOT NULL,
                  service_org TEXT NOT NULL, service_url TEXT NOT NULL, service_version TEXT NOT NULL, arch TEXT NOT NULL,
                  state INTEGER NOT NULL, pending INTEGER NOT NULL, agbot TEXT NOT NULL, proposal TEXT NOT NULL,
                  cancel_reason INTEGER NULL, cancel_message TEXT NULL, missing_heartbeat INTEGER NOT NULL, check_status INTEGER NOT NULL,
                  created_ms BIGINT NOT NULL, updated_ms BIGINT NOT NULL, reply_deadline_ms BIGINT NULL, finalized_ms BIGINT NULL,
                  cancelled_ms BIGINT NULL, verify_sent_ms BIGINT NULL, verified_ms BIGINT NULL);
                INSERT INTO agbot_agreement VALUES ('a1', 'o', 'n1', 'w', 'o/p', 'o', 'svc', '1.0.0', 'amd64', 2, 0, 'o/agbot', '{}',
                  NULL, NULL, 0, 0, 1000, 1000, NULL, 1000, NULL, NULL, NULL);
                CREATE TABLE agbot_rollout_member (
                  agbot TEXT NOT NULL, workload TEXT NOT NULL, version TEXT NOT NULL, agreement_id TEXT NOT NULL, batch INTEGER NOT NULL,
                  outcome INTEGER NOT NULL, old_version TEXT NOT NULL, old_proposal TEXT NOT NULL, updated_ms BIGINT NOT NULL,
                  PRIMARY KEY (agbot, workload, version, agreement_id));
                INSERT INTO agbot_rollout_member VALUES ('o/agbot', 'w', '2.0.0', 'a1', 1, 0, '1.0.0', '{}', 1000);
                """;
            await command.ExecuteNonQueryAsync();
        }
        await using var store = new SqliteAgreementStore(path);
        await store.InitializeAsync();
        await store.InitializeAsync(); // a second start changes nothing
        var old = await store.GetAsync("a1");
        Assert.Equal((AgreementState.Finalized, "1.0.0", false), (old!.State, old.ServiceVersion, old.IsUpdating));
        Assert.True(await store.TryChangeUpdateAsync(null, old with { UpdateVersion = "2.0.0", UpdateJson = "{}", Pending = PendingMessage.Update }));
        Assert.Equal("2.0.0", (await store.GetAsync("a1"))!.UpdateVersion);
        var member = Assert.Single(await store.ListRolloutMembersAsync("o/agbot", "w", "2.0.0"));
        Assert.Equal((0, (DateTimeOffset?)null), (member.RollbackAttempts, member.RetryAt));
        await store.SaveRolloutMemberAsync(member with { Outcome = UpdateOutcome.RollingBack, RollbackAttempts = 1, RetryAt = DateTimeOffset.FromUnixTimeMilliseconds(5000) });
        Assert.Equal(1, Assert.Single(await store.ListRolloutMembersAsync("o/agbot", "w", "2.0.0")).RollbackAttempts);
    }

    public void Dispose() => _directory.Dispose();
}
