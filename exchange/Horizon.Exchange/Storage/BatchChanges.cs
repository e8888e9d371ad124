using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Horizon.Exchange.Storage;

/// <summary>
/// The change-feed entries of one group-committed transaction. Each write's entries are collected
/// as it runs and all of them are written together as the transaction's last statements: one
/// counter update takes the ids for the whole batch (so the counter row is locked only from there
/// to the commit) and one multi-row insert stores them. A write's records get their ids then; its
/// caller reads them only after the commit.
/// </summary>
internal sealed class BatchChanges
{
    // PostgreSQL accepts up to 65,535 parameters per statement, SQLite 32,766; six per row.
    private const int RowsPerInsert = 1_000;
    private static readonly ConditionalWeakTable<DbTransaction, BatchChanges> Open = new();
    private readonly List<(ChangeIntent Intent, string At, List<ChangeRecord> Records)> _pending = [];

    private BatchChanges()
    {
    }

    /// <summary>Entries collected so far; a write rolled back to its savepoint truncates to the count before it.</summary>
    public int Count => _pending.Count;

    /// <summary>Starts collecting for <paramref name="transaction"/>.</summary>
    public static BatchChanges Begin(DbTransaction transaction)
    {
        var batch = new BatchChanges();
        Open.AddOrUpdate(transaction, batch);
        return batch;
    }

    /// <summary>The collection of a group-committed transaction, or null for any other transaction.</summary>
    public static BatchChanges? Of(DbTransaction transaction) => Open.TryGetValue(transaction, out var batch) ? batch : null;

    /// <summary>Adds a write's entries; the returned list is filled with their records when the batch is written.</summary>
    public IReadOnlyList<ChangeRecord> Add(IReadOnlyList<ChangeIntent> intents, string at)
    {
        var records = new List<ChangeRecord>(intents.Count);
        foreach (var intent in intents)
        {
            _pending.Add((intent, at, records));
        }
        return records;
    }

    public void TruncateTo(int count) => _pending.RemoveRange(count, _pending.Count - count);

    /// <summary>Takes ids for every collected entry and inserts them; the last statements before the commit.</summary>
    public async Task WriteAsync(DbConnection connection, DbTransaction transaction)
    {
        if (_pending.Count == 0)
        {
            return;
        }
        var last = await ChangeLog.TakeIdsAsync(connection, transaction, _pending.Count);
        var first = last - _pending.Count + 1;
        var rows = new List<ChangeRecord>(_pending.Count);
        for (var i = 0; i < _pending.Count; i++)
        {
            var (intent, at, records) = _pending[i];
            var record = ChangeLog.Record(first + i, intent, at);
            records.Add(record);
            rows.Add(record);
        }
        await InsertAsync(connection, transaction, rows);
    }

    /// <summary>Inserts change rows with one multi-row statement per thousand (a list given to Dapper is one statement per row).</summary>
    public static async Task InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<ChangeRecord> rows)
    {
        for (var start = 0; start < rows.Count; start += RowsPerInsert)
        {
            var count = Math.Min(RowsPerInsert, rows.Count - start);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var sql = new StringBuilder("INSERT INTO changes (id, org, resource, resourceid, operation, changedat) VALUES ");
            for (var i = 0; i < count; i++)
            {
                var row = rows[start + i];
                var n = i.ToString(CultureInfo.InvariantCulture);
                sql.Append(i == 0 ? "" : ", ").Append($"(@i{n}, @o{n}, @r{n}, @k{n}, @p{n}, @a{n})");
                Add(command, "i" + n, row.Id);
                Add(command, "o" + n, row.Org);
                Add(command, "r" + n, row.Resource);
                Add(command, "k" + n, row.ResourceId);
                Add(command, "p" + n, row.Operation);
                Add(command, "a" + n, row.ChangedAt);
            }
            command.CommandText = sql.ToString();
            await command.ExecuteNonQueryAsync();
        }
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
