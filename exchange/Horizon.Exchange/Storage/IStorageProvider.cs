using System.Data.Common;

namespace Horizon.Exchange.Storage;

/// <summary>
/// One database engine under the exchange. Both providers run the same SQL (the subset SQLite and
/// PostgreSQL share: <c>ON CONFLICT</c> upserts, <c>RETURNING</c>, row-value comparisons), so the
/// stores above are written once and the shared storage test suite runs them on each.
/// </summary>
public interface IStorageProvider : IAsyncDisposable
{
    /// <summary>"sqlite" or "postgresql".</summary>
    string Name { get; }

    /// <summary>Opens a connection for reads.</summary>
    /// <exception cref="DbException">The database cannot be reached.</exception>
    Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction and commits it. Writers may be serialized
    /// (SQLite has one writer at a time; waiting in-process is cheaper than its busy-retry loop).
    /// </summary>
    /// <exception cref="DbException">The transaction failed and was rolled back.</exception>
    Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken = default);

    /// <summary>Brings the schema to the newest version; safe to run from several processes at once.</summary>
    Task<int> MigrateAsync(CancellationToken cancellationToken = default);
}
