using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Horizon.NodeAgent.State;

/// <summary>
/// The agent's SQLite file: agreements, the eventlog, proposals, updates and the outbox. Each
/// call opens a pooled connection, so the type is safe to share; WAL keeps readers (the local API) from blocking the writer.
/// Nothing touches the file until <see cref="MigrateAsync"/> ran once (the host runs it first at start).
/// </summary>
public sealed class AgentDatabase
{
    /// <summary>The schema <see cref="MigrateAsync"/> brings a file to: one past the last step of <see cref="AgentSchema"/>.</summary>
    public static int SchemaVersion => AgentSchema.Steps.Count;

    private readonly string _connectionString;
    private volatile bool _migrated;

    /// <param name="path">The database file; its folder is created by <see cref="MigrateAsync"/> when missing.</param>
    public AgentDatabase(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        FilePath = path;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true }.ToString();
    }

    /// <summary>The database file.</summary>
    public string FilePath { get; }

    /// <summary>
    /// Brings the file to <see cref="SchemaVersion"/>: every missing step in one transaction, numbered by
    /// <c>PRAGMA user_version</c>, so a failure part-way leaves the file as it was. A file already at the
    /// version is only read. Call it once, before any store uses the database.
    /// </summary>
    /// <returns>The version the file had (0 for a new file or one from before the numbering).</returns>
    /// <exception cref="SqliteException">The file cannot be created, is not a database, or a step failed (nothing of it kept).</exception>
    /// <exception cref="InvalidOperationException">The file has a newer schema than this agent knows.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; nothing of the migration is kept.</exception>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(FilePath));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        // WAL cannot be switched on inside a transaction; it persists in the file once set.
        await ExecuteAsync(connection, "PRAGMA journal_mode = WAL", cancellationToken);
        var found = await UserVersionAsync(connection, null, cancellationToken);
        if (found > SchemaVersion)
        {
            throw new InvalidOperationException(
                $"{FilePath} has schema version {found}, newer than this agent's {SchemaVersion}: it was written by a newer node agent");
        }
        if (found < SchemaVersion)
        {
            // Microsoft.Data.Sqlite begins IMMEDIATE: the version is read again under the write lock, so two
            // processes starting on one file cannot both run the steps.
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            var locked = await UserVersionAsync(connection, transaction, cancellationToken);
            for (var version = locked; version < SchemaVersion; version++)
            {
                await using var step = connection.CreateCommand();
                step.Transaction = transaction;
                step.CommandText = AgentSchema.Steps[version];
                await step.ExecuteNonQueryAsync(cancellationToken);
            }
            await using (var number = connection.CreateCommand())
            {
                number.Transaction = transaction;
                number.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {SchemaVersion}");
                await number.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        _migrated = true;
        return found;
    }

    /// <summary>An open pooled connection.</summary>
    /// <exception cref="InvalidOperationException"><see cref="MigrateAsync"/> has not run.</exception>
    internal async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_migrated)
        {
            throw new InvalidOperationException($"{FilePath} is used before AgentDatabase.MigrateAsync ran");
        }
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Runs one write whose loss in a power cut is harmless (an event-log line, an outbox row marked sent)
    /// without its own fsync: the connection commits it with <c>synchronous = NORMAL</c>, so it is durable
    /// against a crash of the process at once, and against a power cut with the next state change, whose
    /// <c>FULL</c> commit syncs the write-ahead log up to and including it. State changes keep their own
    /// fsync (the default <c>FULL</c>, restored before the connection goes back to the pool). Each fsync
    /// here costs ~0.7 ms of waiting and was ~13 % of a simulated node's CPU (ext4 without a journal
    /// writes the pages back in the caller).
    /// </summary>
    /// <returns>The number of rows written.</returns>
    internal async Task<int> ExecuteUnsyncedAsync(Action<SqliteCommand> prepare, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prepare);
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, "PRAGMA synchronous = NORMAL", cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            prepare(command);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            await RestoreFullSyncAsync(connection);
        }
    }

    private static async Task RestoreFullSyncAsync(SqliteConnection connection)
    {
        try
        {
            await ExecuteAsync(connection, "PRAGMA synchronous = FULL", CancellationToken.None);
        }
        catch
        {
            // A connection that cannot be set back must not serve a state change without its fsync.
            SqliteConnection.ClearPool(connection);
            throw;
        }
    }

    /// <summary>Answers when the file can be read (the readiness probe).</summary>
    internal async Task CheckAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, "SELECT 1", cancellationToken);
    }

    private static async Task<int> UserVersionAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
