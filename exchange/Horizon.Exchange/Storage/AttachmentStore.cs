using Dapper;

namespace Horizon.Exchange.Storage;

/// <summary>
/// Documents hanging off a node or agbot, by kind: <c>nodestatus</c>, <c>nodeerrors</c>,
/// <c>nodepolicy</c> (key ""), <c>nodeagreement</c>, <c>agbotagreement</c>, <c>agbotpattern</c>,
/// <c>agbotpolicy</c> (keyed by id). The parent's existence is the caller's check.
/// </summary>
public sealed class AttachmentStore(IStorageProvider storage, ChangeLog changes)
{
    private const string Columns = "kind, org, parent, key, document, lastupdated";

    public async Task<AttachmentRecord?> GetAsync(string kind, string org, string parent, string key, CancellationToken cancellationToken = default)
    {
        await using var connection = await storage.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<AttachmentRecord>(
            $"SELECT {Columns} FROM attachments WHERE kind = @kind AND org = @org AND parent = @parent AND key = @key",
            new { kind, org, parent, key, cancellationToken });
    }

    public async Task<IReadOnlyList<AttachmentRecord>> ListAsync(string kind, string org, string parent, CancellationToken cancellationToken = default)
    {
        await using var connection = await storage.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<AttachmentRecord>(
            $"SELECT {Columns} FROM attachments WHERE kind = @kind AND org = @org AND parent = @parent ORDER BY key",
            new { kind, org, parent, cancellationToken })).ToList();
    }

    /// <summary>The orgs that granted agbot <paramref name="agbotOrg"/>/<paramref name="agbotId"/> their nodes.</summary>
    public async Task<IReadOnlyList<string>> GrantingOrgsAsync(string agbotOrg, string agbotId, CancellationToken cancellationToken = default)
    {
        await using var connection = await storage.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(
            "SELECT org FROM attachments WHERE kind = @kind AND parent = @agbotOrg AND key = @agbotId",
            new { kind = AttachmentKinds.AgbotGrant, agbotOrg, agbotId, cancellationToken })).ToList();
    }

    /// <summary>Every grant <paramref name="org"/> gave, by agbot org then id.</summary>
    public async Task<IReadOnlyList<AttachmentRecord>> GrantsOfAsync(string org, CancellationToken cancellationToken = default)
    {
        await using var connection = await storage.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<AttachmentRecord>(
            $"SELECT {Columns} FROM attachments WHERE kind = @kind AND org = @org ORDER BY parent, key",
            new { kind = AttachmentKinds.AgbotGrant, org, cancellationToken })).ToList();
    }

    /// <summary>Every attachment of <paramref name="kind"/> in <paramref name="org"/> updated at or after <paramref name="since"/> (ISO-8601 text compares in time order).</summary>
    public async Task<IReadOnlyList<AttachmentRecord>> ListSinceAsync(string kind, string org, IReadOnlyList<string> parents, string since, CancellationToken cancellationToken = default)
    {
        await using var connection = await storage.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.AddParameter("kind", kind);
        command.AddParameter("org", org);
        command.AddParameter("since", since);
        command.CommandText = $"SELECT {Columns} FROM attachments WHERE kind = @kind AND org = @org AND {SqlList.In("parent", parents, command, "p")} AND lastupdated >= @since";
        var rows = new List<AttachmentRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new AttachmentRecord
            {
                Kind = reader.GetString(0),
                Org = reader.GetString(1),
                Parent = reader.GetString(2),
                Key = reader.GetString(3),
                Document = reader.GetString(4),
                LastUpdated = reader.GetString(5),
            });
        }
        return rows;
    }

    /// <summary>Creates or replaces the attachment and records <paramref name="change"/> in the same transaction.</summary>
    public async Task<WriteResult> PutAsync(AttachmentRecord attachment, ChangeIntent change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        return await storage.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync($"""
                INSERT INTO attachments ({Columns}) VALUES (@Kind, @Org, @Parent, @Key, @Document, @LastUpdated)
                ON CONFLICT (kind, org, parent, key) DO UPDATE SET document = excluded.document, lastupdated = excluded.lastupdated
                """, attachment, transaction);
            return new WriteResult(WriteOutcome.Updated, await changes.AppendAsync(connection, transaction, [change]));
        }, cancellationToken);
    }

    public async Task<WriteResult> DeleteAsync(string kind, string org, string parent, string key, ChangeIntent change, CancellationToken cancellationToken = default) =>
        await storage.WriteAsync(async (connection, transaction) =>
        {
            if (await connection.ExecuteAsync("DELETE FROM attachments WHERE kind = @kind AND org = @org AND parent = @parent AND key = @key",
                    new { kind, org, parent, key }, transaction) == 0)
            {
                return WriteResult.Refused(WriteOutcome.NotFound);
            }
            return new WriteResult(WriteOutcome.Updated, await changes.AppendAsync(connection, transaction, [change]));
        }, cancellationToken);
}
