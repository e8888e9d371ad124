using Dapper;

namespace Horizon.Exchange.Storage;

/// <summary>Agbots: registration, keys and heartbeats.</summary>
public sealed class AgbotStore(IStorageProvider storage, ChangeLog changes)
{
    private const string Columns = "org, id, owner, tokenhash, name, msgendpoint, publickey, encryptionkey, lastheartbeat, lastupdated";

    public async Task<AgbotRecord?> GetAsync(string org, string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await storage.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<AgbotRecord>(
            $"SELECT {Columns} FROM agbots WHERE org = @org AND id = @id", new { org, id, cancellationToken });
    }

    public async Task<IReadOnlyList<AgbotRecord>> ListAsync(string org, CancellationToken cancellationToken = default)
    {
        await using var connection = await storage.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<AgbotRecord>(
            $"SELECT {Columns} FROM agbots WHERE org = @org ORDER BY id", new { org, cancellationToken })).ToList();
    }

    /// <summary>Creates or updates; same key rule as <see cref="NodeStore.SaveAsync"/>.</summary>
    public async Task<WriteResult> SaveAsync(AgbotRecord agbot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agbot);
        return await storage.WriteAsync(async (connection, transaction) =>
        {
            var updated = await connection.ExecuteAsync("""
                UPDATE agbots SET
                    tokenhash = CASE WHEN @TokenHash = '' THEN tokenhash ELSE @TokenHash END,
                    name = @Name, msgendpoint = @MsgEndPoint,
                    publickey = CASE WHEN @PublicKey = '' THEN publickey ELSE @PublicKey END,
                    encryptionkey = CASE WHEN @EncryptionKey = '' THEN encryptionkey ELSE @EncryptionKey END,
                    lastupdated = @LastUpdated
                WHERE org = @Org AND id = @Id
                  AND (publickey = '' OR @PublicKey = '' OR publickey = @PublicKey)
                  AND (encryptionkey = '' OR @EncryptionKey = '' OR encryptionkey = @EncryptionKey)
                """, agbot, transaction);
            if (updated == 1)
            {
                return new WriteResult(WriteOutcome.Updated, await changes.AppendAsync(connection, transaction,
                    [new ChangeIntent(agbot.Org, "agbot", agbot.Id, "modified")]));
            }
            var inserted = await connection.ExecuteAsync(
                $"INSERT INTO agbots ({Columns}) VALUES (@Org, @Id, @Owner, @TokenHash, @Name, @MsgEndPoint, @PublicKey, @EncryptionKey, @LastHeartbeat, @LastUpdated) ON CONFLICT (org, id) DO NOTHING",
                agbot, transaction);
            if (inserted == 0)
            {
                return WriteResult.Refused(WriteOutcome.KeyConflict);
            }
            return new WriteResult(WriteOutcome.Created, await changes.AppendAsync(connection, transaction,
                [new ChangeIntent(agbot.Org, "agbot", agbot.Id, "created")]));
        }, cancellationToken);
    }

    public async Task<WriteResult> DeleteAsync(string org, string id, CancellationToken cancellationToken = default) =>
        await storage.WriteAsync(async (connection, transaction) =>
        {
            if (await connection.ExecuteAsync("DELETE FROM agbots WHERE org = @org AND id = @id", new { org, id }, transaction) == 0)
            {
                return WriteResult.Refused(WriteOutcome.NotFound);
            }
            await connection.ExecuteAsync("DELETE FROM attachments WHERE org = @org AND parent = @id AND kind LIKE 'agbot%'", new { org, id }, transaction);
            // A recreated agbot of the same name starts without the grants its predecessor held.
            await connection.ExecuteAsync($"DELETE FROM attachments WHERE kind = '{AttachmentKinds.AgbotGrant}' AND parent = @org AND key = @id", new { org, id }, transaction);
            return new WriteResult(WriteOutcome.Updated, await changes.AppendAsync(connection, transaction,
                [new ChangeIntent(org, "agbot", id, "deleted")]));
        }, cancellationToken);

    /// <returns>False when the agbot does not exist.</returns>
    public async Task<bool> HeartbeatAsync(string org, string id, long unixMs, CancellationToken cancellationToken = default) =>
        await storage.WriteAsync(async (connection, transaction) =>
            await connection.ExecuteAsync("UPDATE agbots SET lastheartbeat = @unixMs WHERE org = @org AND id = @id",
                new { org, id, unixMs }, transaction) == 1, cancellationToken);
}
