using System.Globalization;
using System.Text.Json;
using Horizon.Agreements;
using Microsoft.Data.Sqlite;

namespace Horizon.NodeAgent.State;

/// <summary>
/// Agreements and their states in SQLite. Every transition is written before the agent acts
/// on it or answers for it, so a crash never forgets an agreement the agbot believes in.
/// Every call honours its token: cancelled before the write commits, nothing is written
/// (<see cref="OperationCanceledException"/>).
/// </summary>
public sealed class AgreementStore(AgentDatabase database, TimeProvider timeProvider)
{
    private const string Columns = "id, state, terms, reason, message, created, updated";

    /// <summary>Records a new agreement in <see cref="AgreementState.Starting"/>, or resets a known one to it.</summary>
    public Task<AgreementRecord> AddAsync(string agreementId, AgreementTerms terms, CancellationToken cancellationToken = default) =>
        AddAsync(agreementId, terms, null, cancellationToken);

    /// <summary>As <see cref="AddAsync(string, AgreementTerms, CancellationToken)"/>, with <paramref name="step"/> written to the event log in the same transaction.</summary>
    public async Task<AgreementRecord> AddAsync(string agreementId, AgreementTerms terms, AgentEvent? step, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(agreementId);
        ArgumentNullException.ThrowIfNull(terms);
        var now = timeProvider.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = step is null ? null : (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        AgreementRecord record;
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = $"""
                INSERT INTO agreements ({Columns})
                VALUES ($id, $state, $terms, NULL, NULL, $now, $now)
                ON CONFLICT (id) DO UPDATE SET state = $state, terms = $terms, reason = NULL, message = NULL, updated = $now
                RETURNING {Columns}
                """;
            command.Parameters.AddWithValue("$id", agreementId);
            command.Parameters.AddWithValue("$state", nameof(AgreementState.Starting));
            command.Parameters.AddWithValue("$terms", JsonSerializer.Serialize(terms, StateJsonContext.Default.AgreementTerms));
            command.Parameters.AddWithValue("$now", Format(now));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            record = Read(reader);
        }
        if (transaction is not null)
        {
            await EventLog.InsertAsync(connection, transaction, step!, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return record;
    }

    /// <summary>Moves an agreement to <paramref name="state"/>.</summary>
    /// <returns>False when no such agreement is stored.</returns>
    public Task<bool> SetStateAsync(string agreementId, AgreementState state, CancelReason? reason = null, string? message = null,
        CancellationToken cancellationToken = default) =>
        SetStateAsync(agreementId, state, reason, message, null, cancellationToken);

    /// <summary>
    /// As <see cref="SetStateAsync(string, AgreementState, CancelReason?, string?, CancellationToken)"/>, with
    /// <paramref name="step"/> written to the event log in the same transaction (only when the agreement is stored).
    /// </summary>
    /// <returns>False when no such agreement is stored.</returns>
    public async Task<bool> SetStateAsync(string agreementId, AgreementState state, CancelReason? reason, string? message, AgentEvent? step,
        CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = step is null ? null : (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE agreements SET state = $state, reason = $reason, message = $message, updated = $now WHERE id = $id";
        command.Parameters.AddWithValue("$id", agreementId);
        command.Parameters.AddWithValue("$state", state.ToString());
        command.Parameters.AddWithValue("$reason", reason is { } r ? (int)r : DBNull.Value);
        command.Parameters.AddWithValue("$message", (object?)message ?? DBNull.Value);
        command.Parameters.AddWithValue("$now", Format(now));
        var found = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        if (transaction is not null)
        {
            if (found)
            {
                await EventLog.InsertAsync(connection, transaction, step!, now, cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        return found;
    }

    /// <summary>
    /// Ends an agreement (<see cref="AgreementState.Failed"/> or <see cref="AgreementState.Terminated"/>)
    /// and, in the same transaction, owes its agbot a cancel with <paramref name="reason"/> in the
    /// <see cref="NodeOutbox"/> (the caller rings it). An agreement without an agbot owes nothing.
    /// </summary>
    /// <returns>False when no such agreement is stored.</returns>
    public Task<bool> EndAndOweCancelAsync(string agreementId, AgreementState state, CancelReason reason, string message,
        CancellationToken cancellationToken = default) =>
        EndAndOweCancelAsync(agreementId, state, reason, message, null, cancellationToken);

    /// <summary>
    /// As <see cref="EndAndOweCancelAsync(string, AgreementState, CancelReason, string, CancellationToken)"/>, with
    /// <paramref name="step"/> written to the event log in the same transaction (only when the agreement is stored).
    /// </summary>
    /// <returns>False when no such agreement is stored.</returns>
    public async Task<bool> EndAndOweCancelAsync(string agreementId, AgreementState state, CancelReason reason, string message, AgentEvent? step,
        CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE agreements SET state = $state, reason = $reason, message = $message, updated = $now WHERE id = $id RETURNING terms";
        command.Parameters.AddWithValue("$id", agreementId);
        command.Parameters.AddWithValue("$state", state.ToString());
        command.Parameters.AddWithValue("$reason", (int)reason);
        command.Parameters.AddWithValue("$message", message);
        command.Parameters.AddWithValue("$now", Format(now));
        if (await command.ExecuteScalarAsync(cancellationToken) is not string json)
        {
            return false;
        }
        var agbot = JsonSerializer.Deserialize(json, StateJsonContext.Default.AgreementTerms)?.Agbot;
        if (!string.IsNullOrEmpty(agbot))
        {
            await NodeOutbox.InsertAsync(connection, transaction, agbot,
                new CancelAgreement { AgreementId = agreementId, Reason = (int)reason, Message = message }, now, cancellationToken);
        }
        if (step is not null)
        {
            await EventLog.InsertAsync(connection, transaction, step, now, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The agreement, or null when unknown.</summary>
    public async Task<AgreementRecord?> GetAsync(string agreementId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM agreements WHERE id = $id";
        command.Parameters.AddWithValue("$id", agreementId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>Every stored agreement, oldest first.</summary>
    public async Task<IReadOnlyList<AgreementRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM agreements ORDER BY created, id";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var records = new List<AgreementRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(Read(reader));
        }
        return records;
    }

    private static AgreementRecord Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        Enum.Parse<AgreementState>(reader.GetString(1)),
        JsonSerializer.Deserialize(reader.GetString(2), StateJsonContext.Default.AgreementTerms) ?? new AgreementTerms(),
        reader.IsDBNull(3) ? null : reader.GetInt32(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        Parse(reader.GetString(5)),
        Parse(reader.GetString(6)));

    internal static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    internal static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
