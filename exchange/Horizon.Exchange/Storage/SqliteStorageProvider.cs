using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Horizon.Exchange.Storage;

/// <summary>
/// SQLite in one file, in WAL mode so reads never wait for the writer. Writes go through one
/// in-process gate: SQLite admits one writer at a time anyway, and queuing here is far cheaper
/// than its busy-retry loop under thousands of heartbeats per second.
/// </summary>
public sealed class SqliteStorageProvider : IStorageProvider
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeGate = new(1, 1);

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
    }

    /// <summary>The absolute path of the database file.</summary>
    public string DatabasePath { get; }

    public string Name => "sqlite";

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            // Per-connection settings: NORMAL sync is durable in WAL mode except on power loss,
            // where at most the last transactions are lost, never the file's consistency.
            await connection.ExecuteAsync("PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 30000;");
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var connection = await OpenAsync(cancellationToken);
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
        return await Migrator.MigrateAsync(this, cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        _writeGate.Dispose();
        SqliteConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }
}
