using System.Text.Json;
using Horizon.Agreements;
using Microsoft.Data.Sqlite;

namespace Horizon.NodeAgent.State;

/// <summary>
/// Updates of running agreements in SQLite, one row per agreement (the latest update). Every step
/// is written before the agent acts on it, and the outcome that changes the agreement's terms is
/// written in the same transaction as the terms, so after a crash the store and the engine can
/// always be brought to one consistent version.
/// </summary>
public sealed class UpgradeStore
{
    private const string Columns = "agreement_id, reply_to, old_terms, new_terms, step, accepted, reason, message, reply_sent, updated";
    private readonly AgentDatabase _database;
    private readonly TimeProvider _timeProvider;

    public UpgradeStore(AgentDatabase database, TimeProvider timeProvider)
    {
        _database = database;
        _timeProvider = timeProvider;
    }

    /// <summary>Records a new update in <see cref="UpgradeStep.Staging"/>, replacing the agreement's previous one.</summary>
    public async Task<UpgradeRecord> BeginAsync(string agreementId, string replyTo, AgreementTerms oldTerms, AgreementTerms newTerms,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(agreementId);
        ArgumentNullException.ThrowIfNull(oldTerms);
        ArgumentNullException.ThrowIfNull(newTerms);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            INSERT OR REPLACE INTO upgrades ({Columns})
            VALUES ($id, $replyTo, $old, $new, $step, 0, NULL, NULL, 0, $now)
            RETURNING {Columns}
            """;
        command.Parameters.AddWithValue("$id", agreementId);
        command.Parameters.AddWithValue("$replyTo", replyTo);
        command.Parameters.AddWithValue("$old", Serialize(oldTerms));
        command.Parameters.AddWithValue("$new", Serialize(newTerms));
        command.Parameters.AddWithValue("$step", nameof(UpgradeStep.Staging));
        command.Parameters.AddWithValue("$now", Now());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return Read(reader);
    }

    /// <summary>Moves an unfinished update to <paramref name="step"/> (not <see cref="UpgradeStep.Done"/>; see <see cref="FinishAsync"/>).</summary>
    public async Task SetStepAsync(string agreementId, UpgradeStep step, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE upgrades SET step = $step, updated = $now WHERE agreement_id = $id";
        command.Parameters.AddWithValue("$id", agreementId);
        command.Parameters.AddWithValue("$step", step.ToString());
        command.Parameters.AddWithValue("$now", Now());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Records the outcome and, in the same transaction, owes the agbot its <c>updatereply</c> in the
    /// <see cref="NodeOutbox"/> (the caller rings it). When <paramref name="accepted"/>, the
    /// agreement's stored terms become the new terms in that transaction too.
    /// </summary>
    public async Task FinishAsync(string agreementId, bool accepted, CancelReason? reason, string? message, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        if (accepted)
        {
            await using var terms = connection.CreateCommand();
            terms.Transaction = transaction;
            terms.CommandText = """
                UPDATE agreements SET terms = (SELECT new_terms FROM upgrades WHERE agreement_id = $id),
                    state = 'Running', reason = NULL, message = NULL, updated = $now
                WHERE id = $id AND state IN ('Starting', 'Running')
                """;
            terms.Parameters.AddWithValue("$id", agreementId);
            terms.Parameters.AddWithValue("$now", Now());
            await terms.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            UPDATE upgrades SET step = 'Done', accepted = $accepted, reason = $reason, message = $message, reply_sent = 1, updated = $now
            WHERE agreement_id = $id
            RETURNING reply_to
            """;
        command.Parameters.AddWithValue("$id", agreementId);
        command.Parameters.AddWithValue("$accepted", accepted ? 1 : 0);
        command.Parameters.AddWithValue("$reason", reason is { } r ? (int)r : DBNull.Value);
        command.Parameters.AddWithValue("$message", (object?)message ?? DBNull.Value);
        command.Parameters.AddWithValue("$now", Now());
        if (await command.ExecuteScalarAsync(cancellationToken) is string replyTo)
        {
            await NodeOutbox.InsertAsync(connection, transaction, replyTo, new UpdateAgreementReply
            {
                AgreementId = agreementId,
                Accepted = accepted,
                Reason = accepted || reason is null ? null : (int)reason,
                Message = accepted ? null : message,
            }, _timeProvider.GetUtcNow(), cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Marks the reply of an agreement's update as handed to the outbox (for replies an agent before the outbox left due).</summary>
    public async Task MarkReplySentAsync(string agreementId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE upgrades SET reply_sent = 1, updated = $now WHERE agreement_id = $id AND step = 'Done'";
        command.Parameters.AddWithValue("$id", agreementId);
        command.Parameters.AddWithValue("$now", Now());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The agreement's latest update, or null.</summary>
    public async Task<UpgradeRecord?> GetAsync(string agreementId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM upgrades WHERE agreement_id = $id";
        command.Parameters.AddWithValue("$id", agreementId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>Updates not yet finished (after a crash, what must be resumed).</summary>
    public Task<IReadOnlyList<UpgradeRecord>> ListUnfinishedAsync(CancellationToken cancellationToken = default) =>
        QueryAsync($"SELECT {Columns} FROM upgrades WHERE step <> 'Done' ORDER BY updated", cancellationToken);

    /// <summary>Finished updates whose reply is in no outbox yet: only what an agent before the outbox left behind.</summary>
    public Task<IReadOnlyList<UpgradeRecord>> ListRepliesDueAsync(CancellationToken cancellationToken = default) =>
        QueryAsync($"SELECT {Columns} FROM upgrades WHERE step = 'Done' AND reply_sent = 0 ORDER BY updated", cancellationToken);

    /// <summary>The terms of an update's JSON form, for comparing terms as the store keeps them.</summary>
    public static string Serialize(AgreementTerms terms) => JsonSerializer.Serialize(terms, StateJsonContext.Default.AgreementTerms);

    private async Task<IReadOnlyList<UpgradeRecord>> QueryAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var records = new List<UpgradeRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(Read(reader));
        }
        return records;
    }

    private static UpgradeRecord Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        Deserialize(reader.GetString(2)),
        Deserialize(reader.GetString(3)),
        Enum.Parse<UpgradeStep>(reader.GetString(4)),
        reader.GetInt32(5) == 1,
        reader.IsDBNull(6) ? null : reader.GetInt32(6),
        reader.IsDBNull(7) ? null : reader.GetString(7),
        reader.GetInt32(8) == 1,
        AgreementStore.Parse(reader.GetString(9)));

    private static AgreementTerms Deserialize(string json) =>
        JsonSerializer.Deserialize(json, StateJsonContext.Default.AgreementTerms) ?? new AgreementTerms();

    private string Now() => AgreementStore.Format(_timeProvider.GetUtcNow());
}
