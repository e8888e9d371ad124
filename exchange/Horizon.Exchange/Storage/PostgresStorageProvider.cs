using System.Data.Common;
using Dapper;
using Npgsql;

namespace Horizon.Exchange.Storage;

/// <summary>
/// PostgreSQL through Npgsql. Stateless on the exchange side, so several exchange processes can
/// share one database; migrations take an advisory lock so concurrent starts do not race.
/// </summary>
public sealed class PostgresStorageProvider : IStorageProvider
{
    private const long MigrationLockKey = 0x487a6e4578; // "HznEx": any constant unique to the exchange
    private readonly NpgsqlDataSource _dataSource;
    private readonly GroupCommit _writer;

    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <exception cref="ArgumentException">The connection string is malformed.</exception>
    public PostgresStorageProvider(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        // The slim builder maps the basic types the stores use (text, integers) and leaves out the rest
        // (JSON, ranges, arrays of records, ...), which a NativeAOT executable would otherwise carry.
        _dataSource = new NpgsqlSlimDataSourceBuilder(connectionString).Build();
        _writer = new GroupCommit(OpenAsync);
    }

    public string Name => "postgresql";

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    /// <remarks>
    /// Concurrent writes of this process share one transaction and commit (<see cref="GroupCommit"/>);
    /// every change locks the change-counter row until commit, so they would queue there anyway.
    /// </remarks>
    public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(work, cancellationToken);

    public Task<TResult> WriteAsync<TItem, TResult>(IBulkWrite<TItem, TResult> bulk, TItem item, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(bulk, item, cancellationToken);

    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync("SELECT pg_advisory_lock(@key)", new { key = MigrationLockKey });
        try
        {
            return await Migrator.MigrateAsync(this, cancellationToken);
        }
        finally
        {
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = MigrationLockKey });
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _dataSource.DisposeAsync();
    }
}
