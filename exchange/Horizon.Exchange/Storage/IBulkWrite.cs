using System.Data.Common;

namespace Horizon.Exchange.Storage;

/// <summary>
/// A write that can run together with others of its kind: when several are waiting for the same
/// group commit they are handed over at once, so a thousand registrations cost a few multi-row
/// statements instead of a few statements each (on PostgreSQL, round trips).
/// </summary>
public interface IBulkWrite<TItem, TResult>
{
    /// <summary>
    /// Writes <paramref name="items"/> with the outcome each would have had written alone, one after
    /// the other in the given order. Throwing fails none of them by itself: the batch is run again
    /// with each item alone, so only the item that throws then fails.
    /// </summary>
    /// <returns>One result per item, in the order of <paramref name="items"/>.</returns>
    Task<IReadOnlyList<TResult>> RunAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<TItem> items);
}
