using Horizon.Agreements;
using Microsoft.Data.Sqlite;

namespace Horizon.NodeAgent.State;

/// <summary>The persisted, queryable record of every step the agent takes.</summary>
public sealed class EventLog(AgentDatabase database, TimeProvider timeProvider)
{
    /// <summary>Appends a step.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first; nothing is written.</exception>
    public async Task RecordAsync(string? agreementId, string kind, string message, CancelReason? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        var step = new AgentEvent(agreementId, kind, message, reason);
        var time = timeProvider.GetUtcNow();
        // A step on its own is a record of what happened, not state the agent acts on: it need not cost a
        // fsync of its own (the next state change syncs it; see AgentDatabase.ExecuteUnsyncedAsync).
        await database.ExecuteUnsyncedAsync(command => Prepare(command, step, time), cancellationToken);
    }

    /// <summary>Appends a step as part of a caller's transaction, so it commits with the state change it describes.</summary>
    internal static async Task InsertAsync(SqliteConnection connection, SqliteTransaction? transaction, AgentEvent step, DateTimeOffset time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        Prepare(command, step, time);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Prepare(SqliteCommand command, AgentEvent step, DateTimeOffset time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(step.Kind);
        command.CommandText = "INSERT INTO events (time, agreement_id, kind, reason, message) VALUES ($time, $agreement, $kind, $reason, $message)";
        command.Parameters.AddWithValue("$time", AgreementStore.Format(time));
        command.Parameters.AddWithValue("$agreement", (object?)step.AgreementId ?? DBNull.Value);
        command.Parameters.AddWithValue("$kind", step.Kind);
        command.Parameters.AddWithValue("$reason", step.Reason is { } r ? (int)r : DBNull.Value);
        command.Parameters.AddWithValue("$message", step.Message ?? "");
    }

    /// <summary>The newest <paramref name="count"/> steps of the node, oldest first (what the exchange is told).</summary>
    public async Task<IReadOnlyList<EventLogEntry>> LatestAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        long newest;
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT max(seq) FROM events";
            newest = await command.ExecuteScalarAsync(cancellationToken) is long last ? last : 0;
        }
        return await QueryAsync(null, Math.Max(0, newest - count), Math.Min(count, 10_000), cancellationToken);
    }

    /// <summary>Steps after <paramref name="afterSequence"/>, oldest first, optionally of one agreement.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is not between 1 and 10,000.</exception>
    public async Task<IReadOnlyList<EventLogEntry>> QueryAsync(string? agreementId = null, long afterSequence = 0, int limit = 500,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 10_000);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT seq, time, agreement_id, kind, reason, message FROM events
            WHERE seq > $after AND ($agreement IS NULL OR agreement_id = $agreement)
            ORDER BY seq LIMIT $limit
            """;
        command.Parameters.AddWithValue("$after", afterSequence);
        command.Parameters.AddWithValue("$agreement", (object?)agreementId ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<EventLogEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new EventLogEntry(
                reader.GetInt64(0),
                AgreementStore.Parse(reader.GetString(1)),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetInt32(4),
                reader.GetString(5)));
        }
        return entries;
    }
}
