using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Horizon.Agbot.Storage;

/// <summary>
/// The default store: one SQLite file, one connection, calls serialized. <c>synchronous=FULL</c>
/// because a state change must survive a power cut before the next message goes out.
/// </summary>
public sealed class SqliteAgreementStore : SqlAgreementStore
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <param name="path">The database file; created with its folder when absent.</param>
    public SqliteAgreementStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        using var command = _connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;";
        command.ExecuteNonQuery();
    }

    protected override async Task<T> UseAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await work(_connection);
        }
        finally
        {
            _gate.Release();
        }
    }

    protected override bool IsUniqueViolation(DbException exception) =>
        exception is SqliteException { SqliteErrorCode: 19 };

    public override async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        _gate.Dispose();
    }
}
