using Dapper;

namespace Horizon.Exchange.Storage;

/// <summary>Published definitions (kind <c>service</c>, <c>pattern</c>, <c>policy</c>) stored as their JSON.</summary>
public sealed class DefinitionStore(IStorageProvider storage, ChangeLog changes)
{
    private const string Columns = "kind, org, id, owner, ispublic, document, lastupdated";

    public async Task<DefinitionRecord?> GetAsync(string kind, string org, string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await storage.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<DefinitionRecord>(
            $"SELECT {Columns} FROM definitions WHERE kind = @kind AND org = @org AND id = @id", new { kind, org, id, cancellationToken });
    }

    /// <summary>The org's definitions of a kind; only public ones when <paramref name="publicOnly"/>.</summary>
    public async Task<IReadOnlyList<DefinitionRecord>> ListAsync(string kind, string org, bool publicOnly, CancellationToken cancellationToken = default)
    {
        await using var connection = await storage.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<DefinitionRecord>(
            $"SELECT {Columns} FROM definitions WHERE kind = @kind AND org = @org AND (@publicOnly = 0 OR ispublic = 1) ORDER BY id",
            new { kind, org, publicOnly = publicOnly ? 1L : 0L, cancellationToken })).ToList();
    }

    /// <summary>Of the (kind, org, id) triples given, those whose definition exists and is public now, as "kind/org/id".</summary>
    public async Task<HashSet<string>> PublicAmongAsync(IReadOnlyCollection<(string Kind, string Org, string Id)> definitions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        var found = new HashSet<string>(StringComparer.Ordinal);
        if (definitions.Count == 0)
        {
            return found;
        }
        await using var connection = await storage.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var orgs = SqlList.In("org", definitions.Select(d => d.Org).Distinct(StringComparer.Ordinal).ToList(), command, "o");
        var ids = SqlList.In("id", definitions.Select(d => d.Id).Distinct(StringComparer.Ordinal).ToList(), command, "i");
        command.CommandText = $"SELECT kind, org, id FROM definitions WHERE ispublic = 1 AND {orgs} AND {ids}";
        var wanted = definitions.Select(d => $"{d.Kind}/{d.Org}/{d.Id}").ToHashSet(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var definition = $"{reader.GetString(0)}/{reader.GetString(1)}/{reader.GetString(2)}";
            if (wanted.Contains(definition))
            {
                found.Add(definition);
            }
        }
        return found;
    }

    /// <summary>Creates or replaces; creation of a service counts against <paramref name="maxOfKind"/>.</summary>
    public async Task<WriteResult> SaveAsync(DefinitionRecord definition, long maxOfKind, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return await storage.WriteAsync(async (connection, transaction) =>
        {
            var updated = await connection.ExecuteAsync(
                "UPDATE definitions SET owner = @Owner, ispublic = @IsPublic, document = @Document, lastupdated = @LastUpdated WHERE kind = @Kind AND org = @Org AND id = @Id",
                definition, transaction);
            if (updated == 0)
            {
                var count = await Counters.AddAsync(connection, transaction, $"{definition.Kind}s:{definition.Org}", 1);
                if (count > maxOfKind)
                {
                    await Counters.AddAsync(connection, transaction, $"{definition.Kind}s:{definition.Org}", -1);
                    return WriteResult.Refused(WriteOutcome.LimitReached);
                }
                await connection.ExecuteAsync($"INSERT INTO definitions ({Columns}) VALUES (@Kind, @Org, @Id, @Owner, @IsPublic, @Document, @LastUpdated)", definition, transaction);
            }
            var outcome = updated == 0 ? WriteOutcome.Created : WriteOutcome.Updated;
            return new WriteResult(outcome, await changes.AppendAsync(connection, transaction,
                [new ChangeIntent(definition.Org, definition.Kind, definition.Id, updated == 0 ? "created" : "modified")]));
        }, cancellationToken);
    }

    public async Task<WriteResult> DeleteAsync(string kind, string org, string id, CancellationToken cancellationToken = default) =>
        await storage.WriteAsync(async (connection, transaction) =>
        {
            if (await connection.ExecuteAsync("DELETE FROM definitions WHERE kind = @kind AND org = @org AND id = @id", new { kind, org, id }, transaction) == 0)
            {
                return WriteResult.Refused(WriteOutcome.NotFound);
            }
            await Counters.AddAsync(connection, transaction, $"{kind}s:{org}", -1);
            return new WriteResult(WriteOutcome.Updated, await changes.AppendAsync(connection, transaction,
                [new ChangeIntent(org, kind, id, "deleted")]));
        }, cancellationToken);
}
