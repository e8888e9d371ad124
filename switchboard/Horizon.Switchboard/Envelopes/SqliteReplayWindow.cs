using Microsoft.Data.Sqlite;

namespace Horizon.Switchboard.Envelopes;

/// <summary>
/// A replay window persisted in SQLite, so a restarted party still refuses envelopes it handled
/// before the restart. Entries are pruned once past their expiry plus the clock skew.
/// </summary>
public sealed class SqliteReplayWindow : IReplayWindow, IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _clockSkew;
    private readonly SemaphoreSlim _gate = new(1, 1);
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
    }

    public async ValueTask<bool> HasSeenAsync(string id, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT 1 FROM seen_envelope WHERE id = $id";
            command.Parameters.AddWithValue("$id", id);
            return await command.ExecuteScalarAsync(cancellationToken) is not null;
        }
        finally
        {
            _gate.Release();
        }
    }

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
            if (++_recordsSincePrune >= 1000)
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

    private async Task PruneAsync(CancellationToken cancellationToken)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "DELETE FROM seen_envelope WHERE expires_ms < $cutoff";
        command.Parameters.AddWithValue("$cutoff", (_timeProvider.GetUtcNow() - _clockSkew).ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public void Dispose()
    {
        _connection.Dispose();
        _gate.Dispose();
    }
}
