using System.Data.Common;
using Dapper;

namespace Horizon.Exchange.Storage;

/// <summary>
/// The change feed. An id is taken from the <c>counters</c> row inside the writing transaction,
/// as its last statement: the row stays locked until commit, so ids are handed out in commit
/// order and the counter's committed value is a watermark below which every change is visible.
/// Readers read the watermark first and then only ids at or below it, so a transaction that
/// commits late can never slip in under an id a reader has already passed (the gap Open
/// Horizon's feed has with ids from a sequence).
/// </summary>
public sealed class ChangeLog(IStorageProvider storage, TimeProvider time)
{
    /// <summary>
    /// Appends changes within the caller's transaction; returns them with their ids. In a
    /// group-committed transaction they are written with the batch's others just before its commit,
    /// and the returned list is filled then (the caller reads it after the commit).
    /// </summary>
    public async Task<IReadOnlyList<ChangeRecord>> AppendAsync(DbConnection connection, DbTransaction transaction,
        IEnumerable<ChangeIntent> changes)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(changes);
        var list = changes.ToList();
        if (list.Count == 0)
        {
            return [];
        }
        var at = time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        if (BatchChanges.Of(transaction) is { } batch)
        {
            return batch.Add(list, at);
        }
        var last = await TakeIdsAsync(connection, transaction, list.Count);
        var records = list.Select((c, i) => Record(last - list.Count + 1 + i, c, at)).ToList();
        await BatchChanges.InsertAsync(connection, transaction, records);
        return records;
    }

    /// <summary>Takes <paramref name="count"/> ids from the counter row (locking it until commit); returns the last.</summary>
    internal static async Task<long> TakeIdsAsync(DbConnection connection, DbTransaction transaction, int count) =>
        await connection.ExecuteScalarAsync<long>(
            "UPDATE counters SET value = value + @count WHERE name = 'changes' RETURNING value",
            new { count = (long)count }, transaction);

    internal static ChangeRecord Record(long id, ChangeIntent change, string at) => new()
    {
        Id = id,
        Org = change.Org,
        Resource = change.Resource,
        ResourceId = change.ResourceId,
        Operation = change.Operation,
        ChangedAt = at,
    };

    /// <summary>
    /// Changes of <paramref name="orgs"/> with id ≥ <paramref name="fromId"/>, oldest first, and the
    /// watermark they were read under (the highest id that is certainly committed). When
    /// <c>Truncated</c>, the read stopped early: every change up to <c>Watermark</c> was looked at and
    /// the caller continues from there.
    /// </summary>
    public async Task<(IReadOnlyList<ChangeRecord> Changes, long Watermark, bool Truncated)> ReadAsync(IReadOnlyCollection<string> orgs,
        long fromId, int maxRecords, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(orgs);
        await using var connection = await storage.OpenAsync(cancellationToken);
        var watermark = await connection.ExecuteScalarAsync<long>(
            "SELECT value FROM counters WHERE name = 'changes'", new { cancellationToken });
        var rows = new List<ChangeRecord>();
        if (orgs.Count <= PerOrgQueries)
        {
            // One query per org keeps each on the (org, id) index.
            foreach (var org in orgs)
            {
                rows.AddRange(await connection.QueryAsync<ChangeRecord>(
                    "SELECT id, org, resource, resourceid, operation, changedat FROM changes WHERE org = @org AND id >= @fromId AND id <= @watermark ORDER BY id LIMIT @max",
                    new { org, fromId, watermark, max = (long)maxRecords + 1, cancellationToken }));
            }
            rows.Sort((a, b) => a.Id.CompareTo(b.Id));
            return (rows, watermark, false);
        }
        // Many orgs (an agbot's orgList): walk the feed in id order through a window of bounded size and
        // keep the listed orgs' changes. The work is the window's, whatever the list's length; a query
        // per org cost 40 ms of CPU for 1,000 orgs and could hold 1,000 pages at once.
        var wanted = orgs as IReadOnlySet<string> ?? orgs.ToHashSet(StringComparer.Ordinal);
        var window = Math.Max(ScanWindow, maxRecords + 1);
        var scanned = await connection.QueryAsync<ChangeRecord>(
            "SELECT id, org, resource, resourceid, operation, changedat FROM changes WHERE id >= @fromId AND id <= @watermark ORDER BY id LIMIT @window",
            new { fromId, watermark, window = (long)window, cancellationToken });
        long last = fromId - 1;
        var count = 0;
        foreach (var change in scanned)
        {
            count++;
            last = change.Id;
            if (wanted.Contains(change.Org))
            {
                rows.Add(change);
                if (rows.Count > maxRecords)
                {
                    return (rows, watermark, false);
                }
            }
        }
        return count < window ? (rows, watermark, false) : (rows, last, true);
    }

    /// <summary>Up to this many orgs, one indexed query each; beyond, a scan of the feed (see <see cref="ReadAsync"/>).</summary>
    private const int PerOrgQueries = 16;

    /// <summary>How many changes one read over many orgs looks at, at most.</summary>
    private const int ScanWindow = 20_000;

    /// <summary>The highest committed change id.</summary>
    public async Task<long> WatermarkAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await storage.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(
            "SELECT value FROM counters WHERE name = 'changes'", new { cancellationToken });
    }
}
