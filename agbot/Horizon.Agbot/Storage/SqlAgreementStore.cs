using System.Data.Common;
using System.Text.Json;

namespace Horizon.Agbot.Storage;

/// <summary>
/// The SQL both engines share. The rule "one live agreement per node and workload" is a partial
/// unique index, so it holds even when two agbots (or two workers) race for the same node.
/// </summary>
public abstract partial class SqlAgreementStore : IAgreementStore
{
    private const string Columns =
        "id, node_org, node_id, workload, source, service_org, service_url, service_version, arch, state, pending, agbot, proposal, " +
        "cancel_reason, cancel_message, missing_heartbeat, check_status, created_ms, updated_ms, reply_deadline_ms, finalized_ms, " +
        "cancelled_ms, verify_sent_ms, verified_ms, update_version, update_json, update_rollout, update_deadline_ms, update_unanswered";

    // The same columns in the same order, the documents left empty (AgreementQuery.WithoutDocuments).
    private const string ColumnsWithoutDocuments =
        "id, node_org, node_id, workload, source, service_org, service_url, service_version, arch, state, pending, agbot, '' AS proposal, " +
        "cancel_reason, cancel_message, missing_heartbeat, check_status, created_ms, updated_ms, reply_deadline_ms, finalized_ms, " +
        "cancelled_ms, verify_sent_ms, verified_ms, update_version, NULL AS update_json, update_rollout, update_deadline_ms, NULL AS update_unanswered";

    /// <summary>Schema statements, run in order; each must be idempotent.</summary>
    protected static readonly string[] SchemaStatements =
    [
        """
        CREATE TABLE IF NOT EXISTS agbot_agreement (
          id TEXT PRIMARY KEY, node_org TEXT NOT NULL, node_id TEXT NOT NULL, workload TEXT NOT NULL, source TEXT NOT NULL,
          service_org TEXT NOT NULL, service_url TEXT NOT NULL, service_version TEXT NOT NULL, arch TEXT NOT NULL,
          state INTEGER NOT NULL, pending INTEGER NOT NULL, agbot TEXT NOT NULL, proposal TEXT NOT NULL,
          cancel_reason INTEGER NULL, cancel_message TEXT NULL, missing_heartbeat INTEGER NOT NULL, check_status INTEGER NOT NULL,
          created_ms BIGINT NOT NULL, updated_ms BIGINT NOT NULL, reply_deadline_ms BIGINT NULL, finalized_ms BIGINT NULL,
          cancelled_ms BIGINT NULL, verify_sent_ms BIGINT NULL, verified_ms BIGINT NULL,
          update_version TEXT NULL, update_json TEXT NULL, update_rollout TEXT NULL, update_deadline_ms BIGINT NULL,
          update_unanswered TEXT NULL)
        """,
        $"CREATE UNIQUE INDEX IF NOT EXISTS agbot_agreement_live ON agbot_agreement (node_org, node_id, workload) WHERE state <> {(int)AgreementState.Cancelled}",
        "CREATE INDEX IF NOT EXISTS agbot_agreement_node ON agbot_agreement (node_org, node_id, workload, created_ms)",
        "CREATE INDEX IF NOT EXISTS agbot_agreement_state ON agbot_agreement (state, pending)",
        """
        CREATE TABLE IF NOT EXISTS agbot_compatibility (
          node_org TEXT NOT NULL, node_id TEXT NOT NULL, workload TEXT NOT NULL, compatible INTEGER NOT NULL,
          reasons TEXT NOT NULL, checked_ms BIGINT NOT NULL, PRIMARY KEY (node_org, node_id, workload))
        """,
        "CREATE TABLE IF NOT EXISTS agbot_cursor (name TEXT PRIMARY KEY, value BIGINT NOT NULL)",
        """
        CREATE TABLE IF NOT EXISTS agbot_rollout (
          agbot TEXT NOT NULL, workload TEXT NOT NULL, version TEXT NOT NULL, state INTEGER NOT NULL, batch INTEGER NOT NULL,
          created_ms BIGINT NOT NULL, updated_ms BIGINT NOT NULL, PRIMARY KEY (agbot, workload, version))
        """,
        """
        CREATE TABLE IF NOT EXISTS agbot_rollout_member (
          agbot TEXT NOT NULL, workload TEXT NOT NULL, version TEXT NOT NULL, agreement_id TEXT NOT NULL, batch INTEGER NOT NULL,
          outcome INTEGER NOT NULL, old_version TEXT NOT NULL, old_proposal TEXT NOT NULL, updated_ms BIGINT NOT NULL,
          attempts INTEGER NULL, retry_ms BIGINT NULL,
          PRIMARY KEY (agbot, workload, version, agreement_id))
        """,
        "CREATE TABLE IF NOT EXISTS agbot_lease (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_ms BIGINT NOT NULL)",
    ];

    /// <summary>Columns added after the first release: a store created before them gains them on start.</summary>
    private static readonly (string Table, string Column, string Type)[] AddedColumns =
    [
        ("agbot_agreement", "update_version", "TEXT"), ("agbot_agreement", "update_json", "TEXT"), ("agbot_agreement", "update_rollout", "TEXT"),
        ("agbot_agreement", "update_deadline_ms", "BIGINT"), ("agbot_agreement", "update_unanswered", "TEXT"),
        ("agbot_rollout_member", "attempts", "INTEGER"), ("agbot_rollout_member", "retry_ms", "BIGINT"),
    ];

    private static async Task<bool> HasColumnAsync(DbConnection connection, string table, string column, CancellationToken cancellationToken)
    {
        // Asking the engine is portable where the catalogs (sqlite_master, information_schema) are not.
        try
        {
            await using var command = Command(connection, $"SELECT {column} FROM {table} LIMIT 0");
            await command.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }
        catch (DbException)
        {
            return false;
        }
    }

    /// <summary>Runs <paramref name="work"/> on an open connection the implementation owns for the call.</summary>
    protected abstract Task<T> UseAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="exception"/> is a unique-constraint violation.</summary>
    protected abstract bool IsUniqueViolation(DbException exception);

    public abstract ValueTask DisposeAsync();

    public Task InitializeAsync(CancellationToken cancellationToken = default) =>
        UseAsync(async connection =>
        {
            foreach (var statement in SchemaStatements)
            {
                await using var command = Command(connection, statement);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            foreach (var (table, column, type) in AddedColumns)
            {
                if (!await HasColumnAsync(connection, table, column, cancellationToken))
                {
                    await using var command = Command(connection, $"ALTER TABLE {table} ADD COLUMN {column} {type} NULL");
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }
            }
            return 0;
        }, cancellationToken);

    public async Task<bool> TryInsertAsync(AgreementRecord agreement, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        try
        {
            return await UseAsync(async connection =>
            {
                await using var command = Command(connection,
                    $"INSERT INTO agbot_agreement ({Columns}) VALUES (@id, @node_org, @node_id, @workload, @source, @service_org, @service_url, " +
                    "@service_version, @arch, @state, @pending, @agbot, @proposal, @cancel_reason, @cancel_message, @missing_heartbeat, @check_status, " +
                    "@created_ms, @updated_ms, @reply_deadline_ms, @finalized_ms, @cancelled_ms, @verify_sent_ms, @verified_ms, " +
                    "@update_version, @update_json, @update_rollout, @update_deadline_ms, @update_unanswered)");
                Bind(command, agreement);
                await command.ExecuteNonQueryAsync(cancellationToken);
                return true;
            }, cancellationToken);
        }
        catch (DbException e) when (IsUniqueViolation(e))
        {
            return false;
        }
    }

    public async Task<bool> TryTransitionAsync(AgreementState expected, AgreementRecord updated, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(updated);
        try
        {
            return await UseAsync(async connection =>
            {
                await using var command = Command(connection,
                    "UPDATE agbot_agreement SET state = @state, pending = @pending, proposal = @proposal, cancel_reason = @cancel_reason, " +
                    "cancel_message = @cancel_message, updated_ms = @updated_ms, reply_deadline_ms = @reply_deadline_ms, finalized_ms = @finalized_ms, " +
                    $"cancelled_ms = @cancelled_ms, verify_sent_ms = @verify_sent_ms, verified_ms = @verified_ms, {MutableUpdateColumns} " +
                    "WHERE id = @id AND state = @expected");
                Bind(command, updated);
                Add(command, "expected", (int)expected);
                return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
            }, cancellationToken);
        }
        catch (DbException e) when (IsUniqueViolation(e))
        {
            return false;
        }
    }

    public async Task<bool> TryDeleteUnsentAsync(string id, CancellationToken cancellationToken = default) =>
        await UseAsync(async connection =>
        {
            await using var command = Command(connection, "DELETE FROM agbot_agreement WHERE id = @id AND state = @proposed AND pending = @proposal");
            Add(command, "id", id);
            Add(command, "proposed", (int)AgreementState.Proposed);
            Add(command, "proposal", (int)PendingMessage.Proposal);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken) == 1;

    private const string MutableUpdateColumns =
        "service_version = @service_version, update_version = @update_version, update_json = @update_json, " +
        "update_rollout = @update_rollout, update_deadline_ms = @update_deadline_ms, update_unanswered = @update_unanswered";

    public async Task<bool> TryChangeUpdateAsync(string? expectedUpdateVersion, AgreementRecord updated, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(updated);
        RequireDocuments(updated);
        return await UseAsync(async connection =>
        {
            await using var command = Command(connection,
                $"UPDATE agbot_agreement SET pending = @pending, proposal = @proposal, updated_ms = @updated_ms, {MutableUpdateColumns} " +
                $"WHERE id = @id AND state = {(int)AgreementState.Finalized} AND COALESCE(update_version, '') = @expected_update");
            // Only the parameters the statement uses: PostgreSQL cannot type an unused null.
            Add(command, "id", updated.Id);
            Add(command, "pending", (int)updated.Pending);
            Add(command, "proposal", updated.ProposalJson);
            Add(command, "updated_ms", updated.UpdatedAt.ToUnixTimeMilliseconds());
            Add(command, "service_version", updated.ServiceVersion);
            Add(command, "update_version", updated.UpdateVersion ?? (object)DBNull.Value);
            Add(command, "update_json", updated.UpdateJson);
            Add(command, "update_rollout", updated.UpdateRollout);
            Add(command, "update_deadline_ms", Ms(updated.UpdateDeadline));
            Add(command, "update_unanswered", updated.UnansweredJson);
            Add(command, "expected_update", expectedUpdateVersion ?? "");
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken) == 1;
    }

    public Task ClearPendingAsync(string id, PendingMessage sent, CancellationToken cancellationToken = default) =>
        UseAsync(async connection =>
        {
            await using var command = Command(connection, "UPDATE agbot_agreement SET pending = @none WHERE id = @id AND pending = @sent");
            Add(command, "none", (int)PendingMessage.None);
            Add(command, "id", id);
            Add(command, "sent", (int)sent);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task SetVerifyAsync(string id, DateTimeOffset? sentAt, DateTimeOffset? verifiedAt, CancellationToken cancellationToken = default) =>
        UseAsync(async connection =>
        {
            await using var command = Command(connection,
                "UPDATE agbot_agreement SET verify_sent_ms = @sent, verified_ms = COALESCE(@verified, verified_ms) WHERE id = @id");
            Add(command, "id", id);
            Add(command, "sent", Ms(sentAt));
            Add(command, "verified", Ms(verifiedAt));
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public async Task<AgreementRecord?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        First(await QueryAsync("WHERE id = @id", c => Add(c, "id", id), 1, cancellationToken));

    public async Task<AgreementRecord?> GetLiveAsync(string nodeOrg, string nodeId, string workload, CancellationToken cancellationToken = default) =>
        First(await QueryAsync($"WHERE node_org = @node_org AND node_id = @node_id AND workload = @workload AND state <> {(int)AgreementState.Cancelled}", c =>
        {
            Add(c, "node_org", nodeOrg);
            Add(c, "node_id", nodeId);
            Add(c, "workload", workload);
        }, 1, cancellationToken));

    public Task<IReadOnlyList<AgreementRecord>> ListAsync(AgreementQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = new List<string>();
        if (query.State is not null)
        {
            where.Add("state = @state");
        }
        if (query.NodeOrg is not null)
        {
            where.Add("node_org = @node_org");
        }
        if (query.NodeId is not null)
        {
            where.Add("node_id = @node_id");
        }
        if (query.Workload is not null)
        {
            where.Add("workload = @workload");
        }
        if (query.PendingOnly)
        {
            where.Add($"pending <> {(int)PendingMessage.None}");
        }
        if (query.ReplyDeadlineBefore is not null)
        {
            where.Add($"state = {(int)AgreementState.Proposed} AND reply_deadline_ms <= @deadline");
        }
        if (query.UpdateDeadlineBefore is not null)
        {
            where.Add("update_deadline_ms IS NOT NULL AND update_deadline_ms <= @update_deadline");
        }
        var clause = where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where);
        return QueryAsync(clause, c =>
        {
            // Only parameters the clause uses: PostgreSQL cannot type an unused null.
            if (query.State is { } state)
            {
                Add(c, "state", (int)state);
            }
            if (query.NodeOrg is not null)
            {
                Add(c, "node_org", query.NodeOrg);
            }
            if (query.NodeId is not null)
            {
                Add(c, "node_id", query.NodeId);
            }
            if (query.Workload is not null)
            {
                Add(c, "workload", query.Workload);
            }
            if (query.ReplyDeadlineBefore is { } deadline)
            {
                Add(c, "deadline", deadline.ToUnixTimeMilliseconds());
            }
            if (query.UpdateDeadlineBefore is { } updateDeadline)
            {
                Add(c, "update_deadline", updateDeadline.ToUnixTimeMilliseconds());
            }
        }, query.Limit, cancellationToken, documents: !query.WithoutDocuments);
    }

    public Task SaveCompatibilityAsync(NodeCompatibility verdict, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return UseAsync(async connection =>
        {
            await using var command = Command(connection,
                "INSERT INTO agbot_compatibility (node_org, node_id, workload, compatible, reasons, checked_ms) " +
                "VALUES (@node_org, @node_id, @workload, @compatible, @reasons, @checked) " +
                "ON CONFLICT (node_org, node_id, workload) DO UPDATE SET compatible = excluded.compatible, reasons = excluded.reasons, checked_ms = excluded.checked_ms");
            Add(command, "node_org", verdict.NodeOrg);
            Add(command, "node_id", verdict.NodeId);
            Add(command, "workload", verdict.Workload);
            Add(command, "compatible", verdict.IsCompatible ? 1 : 0);
            Add(command, "reasons", JsonSerializer.Serialize(verdict.Reasons, StoreJsonContext.Default.IReadOnlyListString));
            Add(command, "checked", verdict.CheckedAt.ToUnixTimeMilliseconds());
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
    }

    public Task<IReadOnlyList<NodeCompatibility>> ListCompatibilityAsync(string nodeOrg, string nodeId, CancellationToken cancellationToken = default) =>
        UseAsync<IReadOnlyList<NodeCompatibility>>(async connection =>
        {
            await using var command = Command(connection,
                "SELECT workload, compatible, reasons, checked_ms FROM agbot_compatibility WHERE node_org = @node_org AND node_id = @node_id ORDER BY workload");
            Add(command, "node_org", nodeOrg);
            Add(command, "node_id", nodeId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var result = new List<NodeCompatibility>();
            while (await reader.ReadAsync(cancellationToken))
            {
                result.Add(new NodeCompatibility(nodeOrg, nodeId, reader.GetString(0), Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture) != 0,
                    JsonSerializer.Deserialize(reader.GetString(2), StoreJsonContext.Default.IReadOnlyListString) ?? [],
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))));
            }
            return result;
        }, cancellationToken);

    public Task<long> GetCursorAsync(string name, CancellationToken cancellationToken = default) =>
        UseAsync(async connection =>
        {
            await using var command = Command(connection, "SELECT value FROM agbot_cursor WHERE name = @name");
            Add(command, "name", name);
            var value = await command.ExecuteScalarAsync(cancellationToken);
            return value is null or DBNull ? 0L : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
        }, cancellationToken);

    public Task SetCursorAsync(string name, long value, CancellationToken cancellationToken = default) =>
        UseAsync(async connection =>
        {
            await using var command = Command(connection,
                "INSERT INTO agbot_cursor (name, value) VALUES (@name, @value) ON CONFLICT (name) DO UPDATE SET value = excluded.value");
            Add(command, "name", name);
            Add(command, "value", value);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    private Task<IReadOnlyList<AgreementRecord>> QueryAsync(string where, Action<DbCommand> bind, int limit, CancellationToken cancellationToken, bool documents = true) =>
        UseAsync<IReadOnlyList<AgreementRecord>>(async connection =>
        {
            var columns = documents ? Columns : ColumnsWithoutDocuments;
            await using var command = Command(connection, $"SELECT {columns} FROM agbot_agreement {where} ORDER BY created_ms DESC, id LIMIT @limit");
            bind(command);
            Add(command, "limit", limit);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var result = new List<AgreementRecord>();
            while (await reader.ReadAsync(cancellationToken))
            {
                result.Add(documents ? Read(reader) : Read(reader) with { HasDocuments = false });
            }
            return result;
        }, cancellationToken);

    private static DbCommand Command(DbConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    // Writing a record listed without its documents would blank them in the store.
    private static void RequireDocuments(AgreementRecord a)
    {
        if (!a.HasDocuments)
        {
            throw new InvalidOperationException($"agreement {a.Id} was listed without its documents; read it with GetAsync before writing it");
        }
    }

    private static AgreementRecord? First(IReadOnlyList<AgreementRecord> rows) => rows.Count > 0 ? rows[0] : null;

    private static long? Ms(DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();

    private static void Bind(DbCommand command, AgreementRecord a)
    {
        RequireDocuments(a);
        Add(command, "id", a.Id);
        Add(command, "node_org", a.NodeOrg);
        Add(command, "node_id", a.NodeId);
        Add(command, "workload", a.Workload);
        Add(command, "source", a.Source);
        Add(command, "service_org", a.ServiceOrg);
        Add(command, "service_url", a.ServiceUrl);
        Add(command, "service_version", a.ServiceVersion);
        Add(command, "arch", a.Arch);
        Add(command, "state", (int)a.State);
        Add(command, "pending", (int)a.Pending);
        Add(command, "agbot", a.Agbot);
        Add(command, "proposal", a.ProposalJson);
        Add(command, "cancel_reason", a.CancelReason);
        Add(command, "cancel_message", a.CancelMessage);
        Add(command, "missing_heartbeat", a.MissingHeartbeatInterval);
        Add(command, "check_status", a.CheckAgreementStatus);
        Add(command, "created_ms", a.CreatedAt.ToUnixTimeMilliseconds());
        Add(command, "updated_ms", a.UpdatedAt.ToUnixTimeMilliseconds());
        Add(command, "reply_deadline_ms", Ms(a.ReplyDeadline));
        Add(command, "finalized_ms", Ms(a.FinalizedAt));
        Add(command, "cancelled_ms", Ms(a.CancelledAt));
        Add(command, "verify_sent_ms", Ms(a.VerifySentAt));
        Add(command, "verified_ms", Ms(a.VerifiedAt));
        Add(command, "update_version", a.UpdateVersion);
        Add(command, "update_json", a.UpdateJson);
        Add(command, "update_rollout", a.UpdateRollout);
        Add(command, "update_deadline_ms", Ms(a.UpdateDeadline));
        Add(command, "update_unanswered", a.UnansweredJson);
    }

    private static AgreementRecord Read(DbDataReader r)
    {
        static DateTimeOffset? Time(DbDataReader r, int i) => r.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture));
        static int Int(DbDataReader r, int i) => Convert.ToInt32(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
        return new AgreementRecord
        {
            Id = r.GetString(0),
            NodeOrg = r.GetString(1),
            NodeId = r.GetString(2),
            Workload = r.GetString(3),
            Source = r.GetString(4),
            ServiceOrg = r.GetString(5),
            ServiceUrl = r.GetString(6),
            ServiceVersion = r.GetString(7),
            Arch = r.GetString(8),
            State = (AgreementState)Int(r, 9),
            Pending = (PendingMessage)Int(r, 10),
            Agbot = r.GetString(11),
            ProposalJson = r.GetString(12),
            CancelReason = r.IsDBNull(13) ? null : Int(r, 13),
            CancelMessage = r.IsDBNull(14) ? null : r.GetString(14),
            MissingHeartbeatInterval = Int(r, 15),
            CheckAgreementStatus = Int(r, 16),
            CreatedAt = Time(r, 17)!.Value,
            UpdatedAt = Time(r, 18)!.Value,
            ReplyDeadline = Time(r, 19),
            FinalizedAt = Time(r, 20),
            CancelledAt = Time(r, 21),
            VerifySentAt = Time(r, 22),
            VerifiedAt = Time(r, 23),
            UpdateVersion = r.IsDBNull(24) ? null : r.GetString(24),
            UpdateJson = r.IsDBNull(25) ? null : r.GetString(25),
            UpdateRollout = r.IsDBNull(26) ? null : r.GetString(26),
            UpdateDeadline = Time(r, 27),
            UnansweredJson = r.IsDBNull(28) ? null : r.GetString(28),
        };
    }
}
