using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Horizon.Switchboard.Envelopes;

/// <summary>
/// A replay window persisted in SQLite, so a restarted party still refuses envelopes it handled
/// before the restart. Entries are pruned once past their expiry plus the clock skew.
/// </summary>
/// <remarks>
/// The unexpired ids are also held in memory (loaded at open, added after each write commits), so
/// the check on every received message costs no database read; only recording a handled envelope
/// writes, and it returns after the row is committed, so an ack that follows it is never ahead of
/// the window. The file belongs to one process: rows another process adds are not seen until reopened.
/// The window holds at most a TTL's worth of ids (30 min of traffic).
/// </remarks>
public sealed class SqliteReplayWindow : IReplayWindow, IDisposable
{
    private const int RecordsPerPrune = 1000;
    private readonly SqliteConnection _connection;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _clockSkew;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<string, long> _seen = new(StringComparer.Ordinal);
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
            """;
        command.ExecuteNonQuery();
        Load();
    }

    public ValueTask<bool> HasSeenAsync(string id, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_seen.ContainsKey(id));

    public async ValueTask RecordAsync(string id, DateTimeOffset expires, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "INSERT OR IGNORE INTO seen_envelope (id, expires_ms) VALUES ($id, $expires)";
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$expires", expires.ToUnixTimeMilliseconds());
            await command.ExecuteNonQueryAsync(cancellationToken);
            _seen[id] = expires.ToUnixTimeMilliseconds();
            if (++_recordsSincePrune >= RecordsPerPrune)
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
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            _seen[reader.GetString(0)] = reader.GetInt64(1);
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
