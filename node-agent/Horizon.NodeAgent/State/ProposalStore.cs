using System.Globalization;
using System.Text.Json;
using Horizon.Agreements;
using Horizon.NodeAgent.Decisions;
using Microsoft.Data.Sqlite;

namespace Horizon.NodeAgent.State;

/// <summary>
/// Every decision the node made on a proposal, written before the reply is sent, so an accepted
/// proposal's terms are at hand when its replyack arrives, even after a restart.
/// </summary>
public sealed class ProposalStore
{
    private readonly AgentDatabase _database;
    private readonly TimeProvider _timeProvider;

    public ProposalStore(AgentDatabase database, TimeProvider timeProvider)
    {
        _database = database;
        _timeProvider = timeProvider;
    }

    /// <summary>
    /// Records (or replaces) the decision on a proposal from <paramref name="agbot"/> and, in the
    /// same transaction, owes the agbot its reply in the <see cref="NodeOutbox"/> (the caller rings it).
    /// </summary>
    public Task RecordAsync(string agreementId, string agbot, AgreementTerms terms, ProposalDecision decision, CancellationToken cancellationToken = default) =>
        RecordAsync(agreementId, agbot, terms, decision, null, cancellationToken);

    /// <summary>
    /// As <see cref="RecordAsync(string, string, AgreementTerms, ProposalDecision, CancellationToken)"/>, with
    /// <paramref name="step"/> written to the event log in the same transaction.
    /// </summary>
    public async Task RecordAsync(string agreementId, string agbot, AgreementTerms terms, ProposalDecision decision, AgentEvent? step,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(decision);
        var now = _timeProvider.GetUtcNow();
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO proposals (id, agbot, terms, accepted, reason, message, decided)
            VALUES ($id, $agbot, $terms, $accepted, $reason, $message, $now)
            ON CONFLICT (id) DO UPDATE SET agbot = $agbot, terms = $terms, accepted = $accepted, reason = $reason, message = $message, decided = $now
            """;
        command.Parameters.AddWithValue("$id", agreementId);
        command.Parameters.AddWithValue("$agbot", agbot);
        command.Parameters.AddWithValue("$terms", JsonSerializer.Serialize(terms, StateJsonContext.Default.AgreementTerms));
        command.Parameters.AddWithValue("$accepted", decision.Accept ? 1 : 0);
        command.Parameters.AddWithValue("$reason", decision.Reason is { } r ? (int)r : DBNull.Value);
        command.Parameters.AddWithValue("$message", decision.Message);
        command.Parameters.AddWithValue("$now", now.ToString("O", CultureInfo.InvariantCulture));
        await command.ExecuteNonQueryAsync(cancellationToken);
        await NodeOutbox.InsertAsync(connection, transaction, agbot, decision.ToReply(agreementId), now, cancellationToken);
        if (step is not null)
        {
            await EventLog.InsertAsync(connection, transaction, step, now, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The terms of a proposal the node accepted from <paramref name="agbot"/>, or null.</summary>
    public async Task<AgreementTerms?> GetAcceptedAsync(string agreementId, string agbot, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT terms FROM proposals WHERE id = $id AND agbot = $agbot AND accepted = 1";
        command.Parameters.AddWithValue("$id", agreementId);
        command.Parameters.AddWithValue("$agbot", agbot);
        return await command.ExecuteScalarAsync(cancellationToken) is string json ? JsonSerializer.Deserialize(json, StateJsonContext.Default.AgreementTerms) : null;
    }

    /// <summary>Forgets a proposal (withdrawn by the agbot, or turned into an agreement and ended).</summary>
    public async Task RemoveAsync(string agreementId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM proposals WHERE id = $id";
        command.Parameters.AddWithValue("$id", agreementId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
