using System.Data.Common;
using System.Globalization;
using System.Text;

namespace Horizon.Exchange.Storage;

public sealed partial class NodeStore
{
    // PostgreSQL takes up to 65,535 parameters per statement, SQLite 32,766; thirteen per node.
    private const int NodesPerInsert = 500;
    private NodeSaves? _saves;

    private NodeSaves Saves => _saves ??= new NodeSaves(this);

    private ChangeLog ChangeFeed => changes;

    /// <summary>
    /// Node saves that share a group commit: one multi-row insert creates every new node, one
    /// counter update per org counts them (refusing those over the org's cap in order), and only
    /// the nodes that already existed are updated one by one.
    /// </summary>
    private sealed class NodeSaves(NodeStore store) : IBulkWrite<(NodeRecord Node, long MaxNodes), WriteResult>
    {
        public async Task<IReadOnlyList<WriteResult>> RunAsync(DbConnection connection, DbTransaction transaction,
            IReadOnlyList<(NodeRecord Node, long MaxNodes)> items)
        {
            var results = new WriteResult?[items.Count];
            // A node saved twice in one batch: the first goes into the insert, the second is
            // written after it alone (an update), as it would be one after the other.
            var seen = new HashSet<(string, string)>();
            var first = new List<int>(items.Count);
            for (var i = 0; i < items.Count; i++)
            {
                if (seen.Add((items[i].Node.Org, items[i].Node.Id)))
                {
                    first.Add(i);
                }
            }
            var inserted = await InsertAsync(connection, transaction, first.Select(i => items[i].Node).ToList());
            foreach (var org in first.Where(i => inserted.Contains((items[i].Node.Org, items[i].Node.Id))).GroupBy(i => items[i].Node.Org, StringComparer.Ordinal))
            {
                var created = org.ToList();
                var total = await Counters.AddAsync(connection, transaction, $"nodes:{org.Key}", created.Count);
                var count = total - created.Count;
                var refused = new List<int>();
                foreach (var i in created)
                {
                    if (count + 1 > items[i].MaxNodes)
                    {
                        refused.Add(i);
                        results[i] = WriteResult.Refused(WriteOutcome.LimitReached);
                        continue;
                    }
                    count++;
                    results[i] = new WriteResult(WriteOutcome.Created, await store.ChangeFeed.AppendAsync(connection, transaction,
                        [new ChangeIntent(org.Key, "node", items[i].Node.Id, "created")]));
                }
                if (refused.Count > 0)
                {
                    foreach (var i in refused)
                    {
                        await Dapper.SqlMapper.ExecuteAsync(connection, "DELETE FROM nodes WHERE org = @Org AND id = @Id", items[i].Node, transaction);
                    }
                    await Counters.AddAsync(connection, transaction, $"nodes:{org.Key}", -refused.Count);
                }
            }
            for (var i = 0; i < items.Count; i++)
            {
                results[i] ??= await store.SaveInTransactionAsync(connection, transaction, items[i].Node, items[i].MaxNodes, retry: true);
            }
            return results.Select(r => r!).ToList();
        }

        // INSERT ... ON CONFLICT DO NOTHING RETURNING: the rows that come back are the nodes created.
        private static async Task<HashSet<(string, string)>> InsertAsync(DbConnection connection, DbTransaction transaction, List<NodeRecord> nodes)
        {
            var created = new HashSet<(string, string)>();
            for (var start = 0; start < nodes.Count; start += NodesPerInsert)
            {
                var count = Math.Min(NodesPerInsert, nodes.Count - start);
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                var sql = new StringBuilder($"INSERT INTO nodes ({Columns}) VALUES ");
                for (var i = 0; i < count; i++)
                {
                    var node = nodes[start + i];
                    var n = i.ToString(CultureInfo.InvariantCulture);
                    sql.Append(i == 0 ? "(" : ", (");
                    object[] values = [node.Org, node.Id, node.Owner, node.TokenHash, node.Name, node.NodeType, node.Pattern, node.Arch,
                        node.PublicKey, node.EncryptionKey, node.Document, node.LastHeartbeat, node.LastUpdated];
                    for (var c = 0; c < values.Length; c++)
                    {
                        var name = $"c{c.ToString(CultureInfo.InvariantCulture)}_{n}";
                        sql.Append(c == 0 ? "@" : ", @").Append(name);
                        command.AddParameter(name, values[c]);
                    }
                    sql.Append(')');
                }
                sql.Append(" ON CONFLICT (org, id) DO NOTHING RETURNING org, id");
                command.CommandText = sql.ToString();
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    created.Add((reader.GetString(0), reader.GetString(1)));
                }
            }
            return created;
        }
    }
}
