using System.Threading.Channels;
using Horizon.Agreements;
using Microsoft.Data.Sqlite;

namespace Horizon.NodeAgent.State;

/// <summary>
/// Every protocol message the node owes an agbot (proposal replies, cancels, update replies),
/// persisted in the same transaction as the step that made it owed, then sent by the mailbox
/// session and only afterwards marked sent (<see cref="MarkSentAsync"/>). A crash between the two sends
/// it again after the restart; the agbot treats a repeat as the repeat it is. One row per
/// agreement and kind: a newer message of the same kind replaces one not yet sent.
/// </summary>
public sealed class NodeOutbox(AgentDatabase database, TimeProvider timeProvider)
{
    // A doorbell, not a queue: the table is the truth, so one pending ring covers any number of
    // owed messages and a dropped extra ring loses nothing.
    private readonly Channel<bool> _doorbell = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Owes <paramref name="message"/> to the agbot <paramref name="recipient"/> (<c>org/id</c>) and rings.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first; nothing is owed.</exception>
    public async Task AddAsync(string recipient, AgreementMessage message, CancellationToken cancellationToken = default)
    {
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            await InsertAsync(connection, null, recipient, message, timeProvider.GetUtcNow(), cancellationToken);
        }
        Ring();
    }

    /// <summary>Owes a message as part of a caller's transaction; the caller rings once it committed.</summary>
    internal static async Task InsertAsync(SqliteConnection connection, SqliteTransaction? transaction, string recipient, AgreementMessage message,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(recipient);
        ArgumentNullException.ThrowIfNull(message);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        // REPLACE takes a new sequence: a send of the replaced row that is still under way marks only that row.
        command.CommandText = """
            INSERT OR REPLACE INTO outbox (agreement_id, kind, recipient, payload, created)
            VALUES ($agreement, $kind, $recipient, $payload, $now)
            """;
        command.Parameters.AddWithValue("$agreement", message.AgreementId);
        command.Parameters.AddWithValue("$kind", KindOf(message));
        command.Parameters.AddWithValue("$recipient", recipient);
        command.Parameters.AddWithValue("$payload", AgreementCodec.Encode(message));
        command.Parameters.AddWithValue("$now", AgreementStore.Format(now));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Wakes the sender: something is owed.</summary>
    public void Ring() => _doorbell.Writer.TryWrite(true);

    /// <summary>Takes the pending ring before the owed messages are read, so a later one rings again.</summary>
    public void TakeRing() => _doorbell.Reader.TryRead(out _);

    /// <summary>Completes when something may be owed; false once the outbox is closed.</summary>
    public ValueTask<bool> WaitAsync(CancellationToken cancellationToken) => _doorbell.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>Every message not yet sent, oldest first.</summary>
    public async Task<IReadOnlyList<OwedMessage>> ListDueAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, recipient, payload FROM outbox ORDER BY seq";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var owed = new List<OwedMessage>();
        while (await reader.ReadAsync(cancellationToken))
        {
            owed.Add(new OwedMessage(reader.GetInt64(0), reader.GetString(1), AgreementCodec.Decode((byte[])reader.GetValue(2))));
        }
        return owed;
    }

    /// <summary>The agbot's inbox took the message: it is owed no more.</summary>
    /// <remarks>
    /// Without a fsync of its own (<see cref="AgentDatabase.ExecuteUnsyncedAsync"/>): a power cut that loses
    /// the mark sends the message again after the restart, as a crash between the send and the mark does.
    /// </remarks>
    public async Task MarkSentAsync(long sequence, CancellationToken cancellationToken = default) =>
        await database.ExecuteUnsyncedAsync(command =>
        {
            command.CommandText = "DELETE FROM outbox WHERE seq = $seq";
            command.Parameters.AddWithValue("$seq", sequence);
        }, cancellationToken);

    private static string KindOf(AgreementMessage message) => message switch
    {
        ProposalReply => "reply",
        CancelAgreement => "cancel",
        UpdateAgreementReply => "updatereply",
        _ => throw new ArgumentException($"a node owes no {message.GetType().Name}", nameof(message)),
    };
}

/// <summary>A message the node owes an agbot; <see cref="Sequence"/> marks it sent.</summary>
/// <param name="Recipient">The agbot, <c>org/id</c>.</param>
public sealed record OwedMessage(long Sequence, string Recipient, AgreementMessage Message);
