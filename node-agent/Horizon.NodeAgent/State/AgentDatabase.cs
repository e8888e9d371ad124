using Microsoft.Data.Sqlite;

namespace Horizon.NodeAgent.State;

/// <summary>
/// The agent's SQLite file: agreements and the eventlog. Each call opens a pooled connection, so
/// the type is safe to share; WAL keeps readers (the local API) from blocking the writer.
/// </summary>
public sealed class AgentDatabase
{
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
        Execute(connection, """
            PRAGMA journal_mode = WAL;
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
            """);
    }

    /// <summary>The database file.</summary>
    public string FilePath { get; }

    internal SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    internal static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
