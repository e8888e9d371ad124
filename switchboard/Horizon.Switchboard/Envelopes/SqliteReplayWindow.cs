using System.Collections.Concurrent;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Mailboxes;
using Microsoft.Data.Sqlite;

namespace Horizon.Switchboard.Envelopes;

/// <summary>
/// A replay window and mailbox cursors persisted in SQLite, so a restarted party still refuses
/// envelopes it handled before the restart and resumes reading where it stopped. Ids are pruned
/// once past their expiry plus the clock skew.
/// </summary>
/// <remarks>
/// The unexpired ids and the cursors are also held in memory (loaded at open, updated after each
/// write commits), so the check on every received message costs no database read; only recording
/// a handled envelope writes, and it returns after the row is committed, so a cursor that moves
/// after it is never ahead of the window. The file belongs to one process: rows another process
/// adds are not seen until reopened. The window holds at most a TTL's worth of ids (30 min of traffic).
/// </remarks>
public sealed class SqliteReplayWindow : IMailboxJournal, IDisposable
{
    private const int RecordsPerPrune = 1000;
    private readonly SqliteConnection _connection;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _clockSkew;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<string, long> _seen = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, MailboxCursor> _cursors = new(StringComparer.Ordinal);
    private long _recordsSincePrune;

    /// <param name="path">SQLite file; created when absent.</param>
    public SqliteReplayWindow(string path, TimeProvider timeProvider, TimeSpan clockSkew)
    {
        _timeProvider = timeProvider;
        _clockSkew = clockSkew;
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        using var command = _connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=NORMAL;
            CREATE TABLE IF NOT EXISTS seen_envelope (id TEXT PRIMARY KEY, expires_ms INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS seen_envelope_expiry ON seen_envelope (expires_ms);
            CREATE TABLE IF NOT EXISTS mailbox_cursor (party TEXT PRIMARY KEY, seq INTEGER NOT NULL, digest TEXT NOT NULL);
            """;
        command.ExecuteNonQuery();
        Load();
    }

    public ValueTask<bool> HasSeenAsync(string id, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_seen.ContainsKey(id));

    public ValueTask RecordAsync(string id, DateTimeOffset expires, CancellationToken cancellationToken = default) =>
        WriteAsync(null, id, expires, null, cancellationToken);

    public ValueTask<MailboxCursor> GetCursorAsync(PartyAddress party, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_cursors.TryGetValue(party.ToString(), out var cursor) ? cursor : MailboxCursor.Start);

    public ValueTask RecordHandledAsync(PartyAddress party, string envelopeId, DateTimeOffset expires, MailboxCursor? cursor, CancellationToken cancellationToken = default) =>
        WriteAsync(party, envelopeId, expires, cursor, cancellationToken);

    public ValueTask AdvanceAsync(PartyAddress party, MailboxCursor cursor, CancellationToken cancellationToken = default) =>
        WriteAsync(party, null, default, cursor, cancellationToken);

    private async ValueTask WriteAsync(PartyAddress? party, string? id, DateTimeOffset expires, MailboxCursor? cursor, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using (var transaction = _connection.BeginTransaction())
            {
                if (id is not null)
                {
                    using var insert = _connection.CreateCommand();
                    insert.Transaction = transaction;
                    insert.CommandText = "INSERT OR IGNORE INTO seen_envelope (id, expires_ms) VALUES ($id, $expires)";
                    insert.Parameters.AddWithValue("$id", id);
                    insert.Parameters.AddWithValue("$expires", expires.ToUnixTimeMilliseconds());
                    await insert.ExecuteNonQueryAsync(cancellationToken);
                }
                if (party is not null && cursor is { } position)
                {
                    using var upsert = _connection.CreateCommand();
                    upsert.Transaction = transaction;
                    upsert.CommandText = "INSERT INTO mailbox_cursor (party, seq, digest) VALUES ($party, $seq, $digest) ON CONFLICT(party) DO UPDATE SET seq = excluded.seq, digest = excluded.digest";
                    upsert.Parameters.AddWithValue("$party", party.ToString());
                    upsert.Parameters.AddWithValue("$seq", (long)position.Sequence);
                    upsert.Parameters.AddWithValue("$digest", position.Digest);
                    await upsert.ExecuteNonQueryAsync(cancellationToken);
                }
                await transaction.CommitAsync(cancellationToken);
            }
            if (id is not null)
            {
                _seen[id] = expires.ToUnixTimeMilliseconds();
            }
            if (party is not null && cursor is { } moved)
            {
                _cursors[party.ToString()] = moved;
            }
            if (id is not null && ++_recordsSincePrune >= RecordsPerPrune)
            {
                _recordsSincePrune = 0;
                await PruneAsync(cancellationToken);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private long Cutoff() => (_timeProvider.GetUtcNow() - _clockSkew).ToUnixTimeMilliseconds();

    private void Load()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT id, expires_ms FROM seen_envelope WHERE expires_ms >= $cutoff";
        command.Parameters.AddWithValue("$cutoff", Cutoff());
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                _seen[reader.GetString(0)] = reader.GetInt64(1);
            }
        }
        using var cursors = _connection.CreateCommand();
        cursors.CommandText = "SELECT party, seq, digest FROM mailbox_cursor";
        using var rows = cursors.ExecuteReader();
        while (rows.Read())
        {
            _cursors[rows.GetString(0)] = new MailboxCursor((ulong)rows.GetInt64(1), rows.GetString(2));
        }
    }

    private async Task PruneAsync(CancellationToken cancellationToken)
    {
        var cutoff = Cutoff();
        using var command = _connection.CreateCommand();
        command.CommandText = "DELETE FROM seen_envelope WHERE expires_ms < $cutoff";
        command.Parameters.AddWithValue("$cutoff", cutoff);
        await command.ExecuteNonQueryAsync(cancellationToken);
        foreach (var (id, expiresMs) in _seen)
        {
            if (expiresMs < cutoff)
            {
                _seen.TryRemove(id, out _);
            }
        }
    }

    public void Dispose()
    {
        _connection.Dispose();
        _gate.Dispose();
    }
}
