namespace Horizon.Exchange.Storage;

// Heartbeats are coalesced: thousands of nodes beating every few seconds would otherwise cost a
// write transaction each. A beat is acknowledged once recorded in memory, is visible at once to
// every read through this store, and is written with the others in one transaction by the next
// flush (periodic, before a search that filters on heartbeat age, and on a clean shutdown).
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable",
    Justification = "The flush gate's wait handle is never created (only WaitAsync is used), so it holds nothing to release; the store lives as long as the exchange.")]
public sealed partial class NodeStore
{
    private const int HeartbeatsPerWrite = 1_000;
    private readonly PendingHeartbeats _heartbeats = new();
    private readonly SemaphoreSlim _flushGate = new(1, 1);

    /// <summary>Records a heartbeat of a node known to exist; it is stored by the next <see cref="FlushHeartbeatsAsync"/>.</summary>
    public void RecordHeartbeat(string org, string id, long unixMs) => _heartbeats.Record(org, id, unixMs);

    /// <summary>
    /// Writes every recorded heartbeat. A heartbeat never moves a node's stored one backwards (another
    /// exchange sharing the database may have written a newer one), and a node deleted meanwhile is skipped.
    /// </summary>
    /// <returns>How many heartbeats were written.</returns>
    /// <exception cref="System.Data.Common.DbException">The write failed; the heartbeats stay recorded for the next flush.</exception>
    public async Task<int> FlushHeartbeatsAsync(CancellationToken cancellationToken = default)
    {
        if (_heartbeats.IsEmpty)
        {
            return 0;
        }
        await _flushGate.WaitAsync(cancellationToken);
        try
        {
            var beats = _heartbeats.Take();
            try
            {
                foreach (var chunk in beats.Chunk(HeartbeatsPerWrite))
                {
                    await HeartbeatManyAsync(chunk, cancellationToken);
                }
            }
            catch
            {
                _heartbeats.Returned();
                throw;
            }
            _heartbeats.Written();
            return beats.Count;
        }
        finally
        {
            _flushGate.Release();
        }
    }

    /// <summary>Stores heartbeats of many nodes in one transaction; unknown nodes are skipped.</summary>
    /// <returns>How many nodes were updated.</returns>
    public async Task<int> HeartbeatManyAsync(IReadOnlyCollection<HeartbeatRecord> heartbeats, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(heartbeats);
        if (heartbeats.Count == 0)
        {
            return 0;
        }
        var rows = heartbeats.ToList();
        return await storage.WriteAsync(async (connection, transaction) =>
        {
            // One statement per thousand beats (a list given to Dapper is one statement, on
            // PostgreSQL one round trip, per beat). VALUES columns are column1..3 on both engines.
            var updated = 0;
            foreach (var chunk in rows.Chunk(HeartbeatsPerWrite))
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                var values = new System.Text.StringBuilder();
                for (var i = 0; i < chunk.Length; i++)
                {
                    var n = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    values.Append(i == 0 ? "" : ", ").Append($"(@o{n}, @i{n}, @t{n})");
                    command.AddParameter("o" + n, chunk[i].Org);
                    command.AddParameter("i" + n, chunk[i].Id);
                    command.AddParameter("t" + n, chunk[i].UnixMs);
                }
                command.CommandText = $"""
                    UPDATE nodes SET lastheartbeat = v.column3 FROM (VALUES {values}) AS v
                    WHERE nodes.org = v.column1 AND nodes.id = v.column2 AND nodes.lastheartbeat < v.column3
                    """;
                updated += await command.ExecuteNonQueryAsync();
            }
            return updated;
        }, cancellationToken);
    }

    // A search that leaves out nodes by heartbeat age must see the recorded ones in the database.
    private async Task FlushBeforeAgeFilterAsync(long minHeartbeat, CancellationToken cancellationToken)
    {
        if (minHeartbeat > 0)
        {
            await FlushHeartbeatsAsync(cancellationToken);
        }
    }

    private NodeRecord WithLatestHeartbeat(NodeRecord row)
    {
        var latest = _heartbeats.Latest(row.Org, row.Id, row.LastHeartbeat);
        return latest == row.LastHeartbeat ? row : row with { LastHeartbeat = latest };
    }

    private List<NodeRecord> WithLatestHeartbeats(List<NodeRecord> rows)
    {
        if (!_heartbeats.IsEmpty)
        {
            for (var i = 0; i < rows.Count; i++)
            {
                rows[i] = WithLatestHeartbeat(rows[i]);
            }
        }
        return rows;
    }
}
