using System.Data.Common;
using Dapper;

namespace Horizon.Exchange.Storage;

/// <summary>Nodes: registration, partial updates, heartbeats and pattern search.</summary>
public sealed partial class NodeStore(IStorageProvider storage, ChangeLog changes)
{
    private const string Columns = "org, id, owner, tokenhash, name, nodetype, pattern, arch, publickey, encryptionkey, document, lastheartbeat, lastupdated";

    public async Task<NodeRecord?> GetAsync(string org, string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await storage.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<NodeRecord>(
            $"SELECT {Columns} FROM nodes WHERE org = @org AND id = @id", new { org, id, cancellationToken });
        return row is null ? null : WithLatestHeartbeat(row);
    }

    /// <summary>A page of the org's nodes ordered by id, after <paramref name="afterId"/>; only <paramref name="owner"/>'s when given.</summary>
    public async Task<IReadOnlyList<NodeRecord>> ListAsync(string org, string? owner, string afterId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await storage.OpenAsync(cancellationToken);
        // Two calls with constant SQL, not one with a chosen string: Dapper.AOT 1.1.0 generates code that does
        // not compile for a parameter object carrying a cancellation token when the SQL is not a constant.
        var rows = owner is null
            ? await connection.QueryAsync<NodeRecord>($"SELECT {Columns} FROM nodes WHERE org = @org AND id > @afterId ORDER BY id LIMIT @limit",
                new { org, afterId, limit = (long)limit, cancellationToken })
            : await connection.QueryAsync<NodeRecord>($"SELECT {Columns} FROM nodes WHERE org = @org AND owner = @owner AND id > @afterId ORDER BY id LIMIT @limit",
                new { org, owner, afterId, limit = (long)limit, cancellationToken });
        return WithLatestHeartbeats(rows.ToList());
    }

    /// <summary>
    /// Creates the node, or updates it when it exists. A registered key is kept when the new one is
    /// empty and the write is refused (<see cref="WriteOutcome.KeyConflict"/>) when it differs; an
    /// empty token hash keeps the stored one. Creation counts against <paramref name="maxNodes"/>.
    /// </summary>
    public async Task<WriteResult> SaveAsync(NodeRecord node, long maxNodes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        return await storage.WriteAsync(Saves, (node, maxNodes), cancellationToken);
    }

    // Alone (or after the bulk insert of NodeSaves met it): insert first, since registering a new
    // node is the write that comes by the thousand; an update is tried only when the insert meets the node.
    internal async Task<WriteResult> SaveInTransactionAsync(DbConnection connection, DbTransaction transaction, NodeRecord node, long maxNodes, bool retry)
    {
        var inserted = await connection.ExecuteAsync(
            $"INSERT INTO nodes ({Columns}) VALUES (@Org, @Id, @Owner, @TokenHash, @Name, @NodeType, @Pattern, @Arch, @PublicKey, @EncryptionKey, @Document, @LastHeartbeat, @LastUpdated) ON CONFLICT (org, id) DO NOTHING",
            node, transaction);
        if (inserted == 1)
        {
            if (await Counters.AddAsync(connection, transaction, $"nodes:{node.Org}", 1) > maxNodes)
            {
                await connection.ExecuteAsync("DELETE FROM nodes WHERE org = @Org AND id = @Id", node, transaction);
                await Counters.AddAsync(connection, transaction, $"nodes:{node.Org}", -1);
                return WriteResult.Refused(WriteOutcome.LimitReached);
            }
            return new WriteResult(WriteOutcome.Created, await changes.AppendAsync(connection, transaction,
                [new ChangeIntent(node.Org, "node", node.Id, "created")]));
        }
        var updated = await connection.ExecuteAsync("""
            UPDATE nodes SET
                tokenhash = CASE WHEN @TokenHash = '' THEN tokenhash ELSE @TokenHash END,
                name = @Name, nodetype = @NodeType, pattern = @Pattern, arch = @Arch,
                publickey = CASE WHEN @PublicKey = '' THEN publickey ELSE @PublicKey END,
                encryptionkey = CASE WHEN @EncryptionKey = '' THEN encryptionkey ELSE @EncryptionKey END,
                document = @Document, lastupdated = @LastUpdated
            WHERE org = @Org AND id = @Id
              AND (publickey = '' OR @PublicKey = '' OR publickey = @PublicKey)
              AND (encryptionkey = '' OR @EncryptionKey = '' OR encryptionkey = @EncryptionKey)
            """, node, transaction);
        if (updated == 1)
        {
            return new WriteResult(WriteOutcome.Updated, await changes.AppendAsync(connection, transaction,
                [new ChangeIntent(node.Org, "node", node.Id, "modified")]));
        }
        // Not updated: a key differs, or (PostgreSQL, another exchange) the node was deleted between
        // the two statements, in which case it is created after all.
        var exists = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM nodes WHERE org = @Org AND id = @Id", node, transaction) != 0;
        return exists || !retry
            ? WriteResult.Refused(WriteOutcome.KeyConflict)
            : await SaveInTransactionAsync(connection, transaction, node, maxNodes, retry: false);
    }

    /// <summary>Deletes the node with its attachments (status, errors, policy, agreements).</summary>
    public async Task<WriteResult> DeleteAsync(string org, string id, CancellationToken cancellationToken = default) =>
        await storage.WriteAsync(async (connection, transaction) =>
        {
            var deleted = await connection.ExecuteAsync("DELETE FROM nodes WHERE org = @org AND id = @id", new { org, id }, transaction);
            if (deleted == 0)
            {
                return WriteResult.Refused(WriteOutcome.NotFound);
            }
            await connection.ExecuteAsync("DELETE FROM attachments WHERE org = @org AND parent = @id AND kind LIKE 'node%'", new { org, id }, transaction);
            _heartbeats.Forget(org, id);
            await Counters.AddAsync(connection, transaction, $"nodes:{org}", -1);
            return new WriteResult(WriteOutcome.Updated, await changes.AppendAsync(connection, transaction,
                [new ChangeIntent(org, "node", id, "deleted")]));
        }, cancellationToken);

    /// <summary>
    /// Records a heartbeat. Heartbeats are not changes: they would flood the feed, and agbots learn
    /// of stale nodes from the node-health search instead.
    /// </summary>
    /// <returns>False when the node does not exist.</returns>
    public async Task<bool> HeartbeatAsync(string org, string id, long unixMs, CancellationToken cancellationToken = default) =>
        await storage.WriteAsync(async (connection, transaction) =>
            await connection.ExecuteAsync("UPDATE nodes SET lastheartbeat = @unixMs WHERE org = @org AND id = @id",
                new { org, id, unixMs }, transaction) == 1, cancellationToken);

    /// <summary>
    /// Nodes registered to <paramref name="pattern"/> ("org/name") in <paramref name="nodeOrgs"/>,
    /// ordered by (org, id) after the cursor position. The rows carry only what a search answers
    /// with: org, id, node type, arch, keys and last heartbeat.
    /// </summary>
    public async Task<IReadOnlyList<NodeRecord>> SearchByPatternAsync(string pattern, IReadOnlyList<string> nodeOrgs, string? arch,
        long minHeartbeat, (string Org, string Id) after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nodeOrgs);
        await FlushBeforeAgeFilterAsync(minHeartbeat, cancellationToken);
        await using var connection = await storage.OpenAsync(cancellationToken);
        var rows = new List<NodeRecord>(Math.Min(limit, 1_000));
        // One org at a time, so each query is an equality on (pattern, org) and a range on id:
        // both engines then walk the (pattern, org, id) index in order and stop at the limit. A
        // row-value range over (org, id) made SQLite sort every remaining node of the pattern.
        foreach (var org in nodeOrgs.Where(o => string.CompareOrdinal(o, after.Org) >= 0).Order(StringComparer.Ordinal))
        {
            // Read by hand rather than through Dapper: a page is a thousand rows and this is the
            // query agbots run most, so the per-row mapping cost shows.
            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT id, nodetype, arch, publickey, encryptionkey, lastheartbeat FROM nodes
                WHERE pattern = @pattern AND org = @org AND id > @afterId
                  AND (@arch = '' OR arch = @arch) AND lastheartbeat >= @minHeartbeat
                ORDER BY id LIMIT @limit
                """;
            command.AddParameter("pattern", pattern);
            command.AddParameter("org", org);
            command.AddParameter("afterId", org == after.Org ? after.Id : "");
            command.AddParameter("arch", arch ?? "");
            command.AddParameter("minHeartbeat", minHeartbeat);
            command.AddParameter("limit", (long)(limit - rows.Count));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new NodeRecord
                {
                    Org = org,
                    Id = reader.GetString(0),
                    NodeType = reader.GetString(1),
                    Arch = reader.GetString(2),
                    PublicKey = reader.GetString(3),
                    EncryptionKey = reader.GetString(4),
                    LastHeartbeat = reader.GetInt64(5),
                });
            }
            if (rows.Count >= limit)
            {
                break;
            }
        }
        return WithLatestHeartbeats(rows);
    }

    /// <summary>Nodes of <paramref name="org"/> after <paramref name="afterId"/> with their policy document (empty when none).</summary>
    public async Task<IReadOnlyList<(NodeRecord Node, string Policy)>> ListWithPolicyAsync(string org, long minHeartbeat, string afterId, int limit, CancellationToken cancellationToken = default)
    {
        await FlushBeforeAgeFilterAsync(minHeartbeat, cancellationToken);
        await using var connection = await storage.OpenAsync(cancellationToken);
        var nodes = WithLatestHeartbeats((await connection.QueryAsync<NodeRecord>(
            $"SELECT {Columns} FROM nodes WHERE org = @org AND id > @afterId AND lastheartbeat >= @minHeartbeat ORDER BY id LIMIT @limit",
            new { org, afterId, minHeartbeat, limit = (long)limit, cancellationToken })).ToList());
        if (nodes.Count == 0)
        {
            return [];
        }
        await using var command = connection.CreateCommand();
        command.AddParameter("org", org);
        command.CommandText = $"SELECT parent, document FROM attachments WHERE kind = 'nodepolicy' AND org = @org AND {SqlList.In("parent", nodes.Select(n => n.Id).ToList(), command, "p")}";
        var policies = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                policies[reader.GetString(0)] = reader.GetString(1);
            }
        }
        return nodes.Select(n => (n, policies.GetValueOrDefault(n.Id, ""))).ToList();
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await storage.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM nodes", new { cancellationToken });
    }
}
