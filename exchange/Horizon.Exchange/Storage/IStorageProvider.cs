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
    /// Runs <paramref name="work"/> in a transaction and commits it. Concurrent writes may share
    /// one transaction, each in its own savepoint, and are serialized: <paramref name="work"/> sees
    /// the writes before it, must only use the connection and transaction it is given, and must not
    /// call <see cref="WriteAsync{T}"/> itself. The returned task completes after the commit.
    /// </summary>
    /// <exception cref="DbException">The transaction failed and was rolled back.</exception>
    Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken = default);

    /// <summary>
    /// Like <see cref="WriteAsync{T}"/> for one item of a <see cref="IBulkWrite{TItem, TResult}"/>:
    /// items of the same <paramref name="bulk"/> that wait together are written together.
    /// </summary>
    /// <exception cref="DbException">The transaction failed and was rolled back.</exception>
    Task<TResult> WriteAsync<TItem, TResult>(IBulkWrite<TItem, TResult> bulk, TItem item, CancellationToken cancellationToken = default);

    /// <summary>Brings the schema to the newest version; safe to run from several processes at once.</summary>
    Task<int> MigrateAsync(CancellationToken cancellationToken = default);
}
