using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Horizon.Exchange.Storage;

/// <summary>
/// SQLite in one file, in WAL mode so reads never wait for the writer. Writes go through one
/// in-process <see cref="GroupCommit"/>: SQLite admits one writer at a time anyway, queuing here is
/// far cheaper than its busy-retry loop, and concurrent writes share one commit.
/// </summary>
public sealed class SqliteStorageProvider : IStorageProvider
{
    private readonly string _connectionString;
    private readonly GroupCommit _writer;

    /// <param name="path">The database file; created with its folder when missing.</param>
    public SqliteStorageProvider(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        DatabasePath = full;
        _writer = new GroupCommit(OpenWriterAsync);
    }

    /// <summary>The absolute path of the database file.</summary>
    public string DatabasePath { get; }

    public string Name => "sqlite";

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            // Reads need no settings: in WAL mode they never wait for the writer, and the
            // connection string's timeout covers the rare busy moment (a checkpoint).
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    // The writer's connection. NORMAL sync in WAL mode fsyncs at checkpoints, not at each commit: a
    // commit survives a crash of the exchange process, but a power loss or kernel crash may lose
    // the last transactions before the latest checkpoint (never the file's consistency).
    private async Task<DbConnection> OpenWriterAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync("PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 30000;");
        return connection;
    }

    public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(work, cancellationToken);

    public Task<TResult> WriteAsync<TItem, TResult>(IBulkWrite<TItem, TResult> bulk, TItem item, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(bulk, item, cancellationToken);

    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
        return await Migrator.MigrateAsync(this, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }
}
