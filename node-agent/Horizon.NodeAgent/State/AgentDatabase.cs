using Microsoft.Data.Sqlite;

namespace Horizon.NodeAgent.State;

/// <summary>
/// The agent's SQLite file: agreements, the eventlog, proposals, updates and the outbox. Each
/// call opens a pooled connection, so the type is safe to share; WAL keeps readers (the local API) from blocking the writer.
/// </summary>
public sealed class AgentDatabase
{
    /// <summary>The schema <see cref="Migrate"/> brings a file to.</summary>
    private const int SchemaVersion = 1;

    private readonly string _connectionString;

    /// <param name="path">The database file; its folder is created when missing.</param>
    /// <exception cref="SqliteException">The file cannot be created or is not a database.</exception>
    public AgentDatabase(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        FilePath = path;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true }.ToString();
        using var connection = Open();
        Migrate(connection);
    }

    /// <summary>The database file.</summary>
    public string FilePath { get; }

    internal SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    /// <summary>
    /// The whole schema in one step, in one transaction, numbered by <c>PRAGMA user_version</c>. A
    /// file from before the numbering (version 0) holds some of these tables already; <c>IF NOT
    /// EXISTS</c> adds the rest. A later schema change is a step 2 here, never a table a store creates.
    /// </summary>
    private static void Migrate(SqliteConnection connection)
    {
        // WAL cannot be switched on inside a transaction; it persists in the file once set.
        Execute(connection, "PRAGMA journal_mode = WAL");
        using var version = connection.CreateCommand();
        version.CommandText = "PRAGMA user_version";
        if (Convert.ToInt64(version.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) >= SchemaVersion)
        {
            return;
        }
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            CREATE TABLE IF NOT EXISTS agreements (
                id TEXT PRIMARY KEY,
                state TEXT NOT NULL,
                terms TEXT NOT NULL,
                reason INTEGER NULL,
                message TEXT NULL,
                created TEXT NOT NULL,
                updated TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS events (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                time TEXT NOT NULL,
                agreement_id TEXT NULL,
                kind TEXT NOT NULL,
                reason INTEGER NULL,
                message TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS events_by_agreement ON events (agreement_id, seq);
            CREATE TABLE IF NOT EXISTS proposals (
                id TEXT PRIMARY KEY,
                agbot TEXT NOT NULL,
                terms TEXT NOT NULL,
                accepted INTEGER NOT NULL,
                reason INTEGER NULL,
                message TEXT NOT NULL,
                decided TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS upgrades (
                agreement_id TEXT PRIMARY KEY,
                reply_to TEXT NOT NULL,
                old_terms TEXT NOT NULL,
                new_terms TEXT NOT NULL,
                step TEXT NOT NULL,
                accepted INTEGER NOT NULL DEFAULT 0,
                reason INTEGER NULL,
                message TEXT NULL,
                reply_sent INTEGER NOT NULL DEFAULT 0,
                updated TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS outbox (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                agreement_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                recipient TEXT NOT NULL,
                payload BLOB NOT NULL,
                created TEXT NOT NULL,
                UNIQUE (agreement_id, kind));
            PRAGMA user_version = {SchemaVersion};
            """;
        command.ExecuteNonQuery();
        transaction.Commit();
    }

    internal static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
