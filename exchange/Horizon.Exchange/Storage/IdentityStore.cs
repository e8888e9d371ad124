using Dapper;

namespace Horizon.Exchange.Storage;

/// <summary>Orgs and users, and the credential lookup across users, nodes and agbots.</summary>
public sealed class IdentityStore(IStorageProvider storage, ChangeLog changes)
{
    private const string OrgColumns = "id, label, description, orgtype, document, lastupdated";
    private static readonly string[] OrgTables = ["users", "nodes", "agbots", "attachments", "definitions"];
    private const string UserColumns = "org, username, tokenhash, admin, hubadmin, email, lastupdated, updatedby";

    public async Task<OrgRecord?> GetOrgAsync(string org, CancellationToken cancellationToken = default)
    {
        await using var connection = await storage.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<OrgRecord>(
            $"SELECT {OrgColumns} FROM orgs WHERE id = @org", new { org, cancellationToken });
    }

    public async Task<IReadOnlyList<OrgRecord>> ListOrgsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await storage.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<OrgRecord>(
            $"SELECT {OrgColumns} FROM orgs ORDER BY id", new { cancellationToken })).ToList();
    }

    public async Task<WriteResult> SaveOrgAsync(OrgRecord org, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(org);
        return await storage.WriteAsync(async (connection, transaction) =>
        {
            var existed = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM orgs WHERE id = @Id", org, transaction) != 0;
            await connection.ExecuteAsync($"""
                INSERT INTO orgs ({OrgColumns}) VALUES (@Id, @Label, @Description, @OrgType, @Document, @LastUpdated)
                ON CONFLICT (id) DO UPDATE SET label = excluded.label, description = excluded.description,
                    orgtype = excluded.orgtype, document = excluded.document, lastupdated = excluded.lastupdated
                """, org, transaction);
            return new WriteResult(existed ? WriteOutcome.Updated : WriteOutcome.Created, await changes.AppendAsync(connection, transaction,
                [new ChangeIntent(org.Id, "org", org.Id, existed ? "modified" : "created")]));
        }, cancellationToken);
    }

    /// <summary>Deletes the org and everything in it.</summary>
    public async Task<WriteResult> DeleteOrgAsync(string org, CancellationToken cancellationToken = default) =>
        await storage.WriteAsync(async (connection, transaction) =>
        {
            if (await connection.ExecuteAsync("DELETE FROM orgs WHERE id = @org", new { org }, transaction) == 0)
            {
                return WriteResult.Refused(WriteOutcome.NotFound);
            }
            foreach (var table in OrgTables)
            {
                await connection.ExecuteAsync($"DELETE FROM {table} WHERE org = @org", new { org }, transaction);
            }
            await connection.ExecuteAsync($"DELETE FROM attachments WHERE kind = '{AttachmentKinds.AgbotGrant}' AND parent = @org", new { org }, transaction);
            await connection.ExecuteAsync("DELETE FROM counters WHERE name LIKE @pattern", new { pattern = $"%:{org}" }, transaction);
            return new WriteResult(WriteOutcome.Updated, await changes.AppendAsync(connection, transaction,
                [new ChangeIntent(org, "org", org, "deleted")]));
        }, cancellationToken);

    public async Task<UserRecord?> GetUserAsync(string org, string username, CancellationToken cancellationToken = default)
    {
        await using var connection = await storage.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<UserRecord>(
            $"SELECT {UserColumns} FROM users WHERE org = @org AND username = @username", new { org, username, cancellationToken });
    }

    public async Task<IReadOnlyList<UserRecord>> ListUsersAsync(string org, CancellationToken cancellationToken = default)
    {
        await using var connection = await storage.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<UserRecord>(
            $"SELECT {UserColumns} FROM users WHERE org = @org ORDER BY username", new { org, cancellationToken })).ToList();
    }

    /// <summary>Creates or replaces a user; an empty token hash keeps the stored one.</summary>
    public async Task<WriteResult> SaveUserAsync(UserRecord user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        return await storage.WriteAsync(async (connection, transaction) =>
        {
            var updated = await connection.ExecuteAsync("""
                UPDATE users SET tokenhash = CASE WHEN @TokenHash = '' THEN tokenhash ELSE @TokenHash END,
                    admin = @Admin, hubadmin = @HubAdmin, email = @Email, lastupdated = @LastUpdated, updatedby = @UpdatedBy
                WHERE org = @Org AND username = @Username
                """, user, transaction);
            if (updated == 0)
            {
                await connection.ExecuteAsync($"INSERT INTO users ({UserColumns}) VALUES (@Org, @Username, @TokenHash, @Admin, @HubAdmin, @Email, @LastUpdated, @UpdatedBy)", user, transaction);
            }
            return new WriteResult(updated == 0 ? WriteOutcome.Created : WriteOutcome.Updated, await changes.AppendAsync(connection, transaction,
                [new ChangeIntent(user.Org, "user", user.Username, updated == 0 ? "created" : "modified")]));
        }, cancellationToken);
    }

    public async Task<WriteResult> DeleteUserAsync(string org, string username, CancellationToken cancellationToken = default) =>
        await storage.WriteAsync(async (connection, transaction) =>
        {
            if (await connection.ExecuteAsync("DELETE FROM users WHERE org = @org AND username = @username", new { org, username }, transaction) == 0)
            {
                return WriteResult.Refused(WriteOutcome.NotFound);
            }
            return new WriteResult(WriteOutcome.Updated, await changes.AppendAsync(connection, transaction,
                [new ChangeIntent(org, "user", username, "deleted")]));
        }, cancellationToken);

    /// <summary>
    /// Every identity named <paramref name="org"/>/<paramref name="id"/> with its token hash, in
    /// the order a credential is tried: user, node, agbot. One round trip.
    /// </summary>
    public async Task<IReadOnlyList<CredentialRow>> FindCredentialsAsync(string org, string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await storage.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<CredentialRow>("""
            SELECT CAST(1 AS BIGINT) AS kind, tokenhash, admin, hubadmin, '' AS owner FROM users WHERE org = @org AND username = @id
            UNION ALL SELECT CAST(2 AS BIGINT) AS kind, tokenhash, CAST(0 AS BIGINT) AS admin, CAST(0 AS BIGINT) AS hubadmin, owner FROM nodes WHERE org = @org AND id = @id
            UNION ALL SELECT CAST(3 AS BIGINT) AS kind, tokenhash, CAST(0 AS BIGINT) AS admin, CAST(0 AS BIGINT) AS hubadmin, owner FROM agbots WHERE org = @org AND id = @id
            """, new { org, id, cancellationToken })).OrderBy(r => r.Kind).ToList();
    }

    public async Task<(long Orgs, long Users, long Agbots)> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await storage.OpenAsync(cancellationToken);
        var orgs = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM orgs", new { cancellationToken });
        var users = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users", new { cancellationToken });
        var agbots = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM agbots", new { cancellationToken });
        return (orgs, users, agbots);
    }
}

/// <summary>A stored credential: kind 1 user, 2 node, 3 agbot.</summary>
public sealed record CredentialRow
{
    public long Kind { get; init; }
    public string TokenHash { get; init; } = "";
    public long Admin { get; init; }
    public long HubAdmin { get; init; }
    public string Owner { get; init; } = "";
}
