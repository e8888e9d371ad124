using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Envelopes;
using Microsoft.Data.Sqlite;

namespace Horizon.Switchboard.Mailboxes;

/// <summary>A message whose handler kept failing, kept for an operator to look at.</summary>
public sealed record PoisonMessage(string EnvelopeId, string Recipient, string Sender, ulong StreamSequence, int Attempts, string Error, DateTimeOffset RecordedAt);

/// <summary>
/// Records messages terminated after too many failed handler attempts, in SQLite, so they are
/// not lost silently: the payload is kept (it was already decrypted for this party) with the error.
/// </summary>
public sealed class PoisonMessageLog : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public PoisonMessageLog(string path, TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        using var command = _connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS poison_message (
              envelope_id TEXT NOT NULL, recipient TEXT NOT NULL, sender TEXT NOT NULL, stream_seq INTEGER NOT NULL,
              attempts INTEGER NOT NULL, error TEXT NOT NULL, payload BLOB NOT NULL, recorded_ms INTEGER NOT NULL);
            """;
        command.ExecuteNonQuery();
    }

    public async Task RecordAsync(PartyAddress recipient, OpenedEnvelope envelope, ulong sequence, int attempts, Exception error, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = """
                INSERT INTO poison_message (envelope_id, recipient, sender, stream_seq, attempts, error, payload, recorded_ms)
                VALUES ($id, $recipient, $sender, $seq, $attempts, $error, $payload, $at)
                """;
            command.Parameters.AddWithValue("$id", envelope.Id);
            command.Parameters.AddWithValue("$recipient", recipient.ToString());
            command.Parameters.AddWithValue("$sender", envelope.From.ToString());
            command.Parameters.AddWithValue("$seq", (long)sequence);
            command.Parameters.AddWithValue("$attempts", attempts);
            command.Parameters.AddWithValue("$error", $"{error.GetType().Name}: {error.Message}");
            command.Parameters.AddWithValue("$payload", envelope.Payload.ToArray());
            command.Parameters.AddWithValue("$at", _timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<PoisonMessage>> ListAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT envelope_id, recipient, sender, stream_seq, attempts, error, recorded_ms FROM poison_message ORDER BY recorded_ms";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var list = new List<PoisonMessage>();
            while (await reader.ReadAsync(cancellationToken))
            {
                list.Add(new PoisonMessage(reader.GetString(0), reader.GetString(1), reader.GetString(2), (ulong)reader.GetInt64(3),
                    reader.GetInt32(4), reader.GetString(5), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6))));
            }
            return list;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _connection.Dispose();
        _gate.Dispose();
    }
}
