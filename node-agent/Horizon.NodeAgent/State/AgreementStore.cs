using System.Globalization;
using System.Text.Json;
using Horizon.Agreements;
using Microsoft.Data.Sqlite;

namespace Horizon.NodeAgent.State;

/// <summary>
/// Agreements and their states in SQLite. Every transition is written before the agent acts
/// on it or answers for it, so a crash never forgets an agreement the agbot believes in.
/// </summary>
public sealed class AgreementStore(AgentDatabase database, TimeProvider timeProvider)
{
    /// <summary>Records a new agreement in <see cref="AgreementState.Starting"/>, or resets a known one to it.</summary>
    public AgreementRecord Add(string agreementId, AgreementTerms terms)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(agreementId);
        ArgumentNullException.ThrowIfNull(terms);
        var now = Format(timeProvider.GetUtcNow());
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO agreements (id, state, terms, reason, message, created, updated)
            VALUES ($id, $state, $terms, NULL, NULL, $now, $now)
            ON CONFLICT (id) DO UPDATE SET state = $state, terms = $terms, reason = NULL, message = NULL, updated = $now
            """;
        command.Parameters.AddWithValue("$id", agreementId);
        command.Parameters.AddWithValue("$state", nameof(AgreementState.Starting));
        command.Parameters.AddWithValue("$terms", JsonSerializer.Serialize(terms, StateJsonContext.Default.AgreementTerms));
        command.Parameters.AddWithValue("$now", now);
        command.ExecuteNonQuery();
        // Read back on the same connection: a second one, opened while this one is held, is a
        // new SQLite connection (schema read and all) rather than the pooled one.
        return Get(connection, agreementId)!;
    }

    /// <summary>Moves an agreement to <paramref name="state"/>.</summary>
    /// <returns>False when no such agreement is stored.</returns>
    public bool SetState(string agreementId, AgreementState state, CancelReason? reason = null, string? message = null)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE agreements SET state = $state, reason = $reason, message = $message, updated = $now WHERE id = $id";
        command.Parameters.AddWithValue("$id", agreementId);
        command.Parameters.AddWithValue("$state", state.ToString());
        command.Parameters.AddWithValue("$reason", reason is { } r ? (int)r : DBNull.Value);
        command.Parameters.AddWithValue("$message", (object?)message ?? DBNull.Value);
        command.Parameters.AddWithValue("$now", Format(timeProvider.GetUtcNow()));
        return command.ExecuteNonQuery() == 1;
    }

    /// <summary>
    /// Ends an agreement (<see cref="AgreementState.Failed"/> or <see cref="AgreementState.Terminated"/>)
    /// and, in the same transaction, owes its agbot a cancel with <paramref name="reason"/> in the
    /// <see cref="NodeOutbox"/> (the caller rings it). An agreement without an agbot owes nothing.
    /// </summary>
    /// <returns>False when no such agreement is stored.</returns>
    public bool EndAndOweCancel(string agreementId, AgreementState state, CancelReason reason, string message)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE agreements SET state = $state, reason = $reason, message = $message, updated = $now WHERE id = $id RETURNING terms";
        command.Parameters.AddWithValue("$id", agreementId);
        command.Parameters.AddWithValue("$state", state.ToString());
        command.Parameters.AddWithValue("$reason", (int)reason);
        command.Parameters.AddWithValue("$message", message);
        command.Parameters.AddWithValue("$now", Format(timeProvider.GetUtcNow()));
        if (command.ExecuteScalar() is not string json)
        {
            return false;
        }
        var agbot = JsonSerializer.Deserialize(json, StateJsonContext.Default.AgreementTerms)?.Agbot;
        if (!string.IsNullOrEmpty(agbot))
        {
            NodeOutbox.Insert(connection, transaction, agbot,
                new CancelAgreement { AgreementId = agreementId, Reason = (int)reason, Message = message }, timeProvider.GetUtcNow());
        }
        transaction.Commit();
        return true;
    }

    /// <summary>The agreement, or null when unknown.</summary>
    public AgreementRecord? Get(string agreementId)
    {
        using var connection = database.Open();
        return Get(connection, agreementId);
    }

    private static AgreementRecord? Get(SqliteConnection connection, string agreementId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, state, terms, reason, message, created, updated FROM agreements WHERE id = $id";
        command.Parameters.AddWithValue("$id", agreementId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    /// <summary>Every stored agreement, oldest first.</summary>
    public IReadOnlyList<AgreementRecord> List()
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, state, terms, reason, message, created, updated FROM agreements ORDER BY created, id";
        using var reader = command.ExecuteReader();
        var records = new List<AgreementRecord>();
        while (reader.Read())
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
