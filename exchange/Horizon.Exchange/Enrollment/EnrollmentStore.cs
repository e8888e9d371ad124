using System.Data.Common;
using Dapper;
using Horizon.Exchange.Storage;

namespace Horizon.Exchange.Enrollment;

/// <summary>
/// Enrollment requests and their audit, in the attachments table (see <see cref="EnrollmentStates"/>).
/// A decision, the node it creates, its policy and its audit entry commit in one transaction or not at all.
/// </summary>
public sealed class EnrollmentStore(IStorageProvider storage, ChangeLog changes, NodeStore nodes)
{
    private const string Columns = "kind, org, parent, key, document, lastupdated";

    /// <summary>The request <paramref name="id"/> of <paramref name="org"/> in any state.</summary>
    public async Task<AttachmentRecord?> GetAsync(string org, string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await storage.OpenAsync(cancellationToken);
        return await FindAsync(connection, null, org, id);
    }

    /// <summary>The org's requests in <paramref name="state"/> (all states when null), oldest first.</summary>
    public async Task<IReadOnlyList<AttachmentRecord>> ListAsync(string org, string? state, CancellationToken cancellationToken = default)
    {
        await using var connection = await storage.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<AttachmentRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM attachments WHERE kind = @kind AND org = @org AND (@state IS NULL OR parent = @state) ORDER BY lastupdated, key",
            new { kind = EnrollmentStates.Kind, org, state }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>The org's audited decisions, oldest first.</summary>
    public async Task<IReadOnlyList<AttachmentRecord>> AuditAsync(string org, CancellationToken cancellationToken = default)
    {
        await using var connection = await storage.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<AttachmentRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM attachments WHERE kind = @kind AND org = @org ORDER BY lastupdated, key",
            new { kind = EnrollmentStates.AuditKind, org }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>
    /// Stores a new pending request. <see cref="WriteOutcome.LimitReached"/> when the org already holds
    /// <paramref name="maxPending"/> pending ones; an existing request with the same id is the caller's
    /// check (read it first), and one stored meanwhile is a <see cref="WriteOutcome.KeyConflict"/>.
    /// </summary>
    public async Task<WriteResult> SubmitAsync(AttachmentRecord request, long maxPending, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await storage.WriteAsync(async (connection, transaction) =>
        {
            if (await FindAsync(connection, transaction, request.Org, request.Key) is not null)
            {
                return WriteResult.Refused(WriteOutcome.KeyConflict);
            }
            var pending = await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM attachments WHERE kind = @kind AND org = @org AND parent = @state",
                new { kind = EnrollmentStates.Kind, org = request.Org, state = EnrollmentStates.Pending }, transaction);
            if (pending >= maxPending)
            {
                return WriteResult.Refused(WriteOutcome.LimitReached);
            }
            await connection.ExecuteAsync($"INSERT INTO attachments ({Columns}) VALUES (@Kind, @Org, @Parent, @Key, @Document, @LastUpdated)", request, transaction);
            return new WriteResult(WriteOutcome.Created, await changes.AppendAsync(connection, transaction,
                [new ChangeIntent(request.Org, "enrollment", request.Key, "created")]));
        }, cancellationToken);
    }

    /// <summary>
    /// Moves a pending request to <paramref name="decided"/>'s state (its parent), with its audit entry,
    /// and, on approval, creates <paramref name="node"/> and its policy.
    /// </summary>
    /// <exception cref="EnrollmentRefusedException">The request is gone or decided, the node exists, or the org is full; nothing was written.</exception>
    public async Task<WriteResult> DecideAsync(AttachmentRecord decided, AttachmentRecord audit, NodeRecord? node, string? nodePolicy, long maxNodes,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decided);
        ArgumentNullException.ThrowIfNull(audit);
        return await storage.WriteAsync(async (connection, transaction) =>
        {
            var moved = await connection.ExecuteAsync(
                "UPDATE attachments SET parent = @Parent, document = @Document, lastupdated = @LastUpdated WHERE kind = @Kind AND org = @Org AND key = @Key AND parent = 'pending'",
                decided, transaction);
            if (moved == 0)
            {
                var current = await FindAsync(connection, transaction, decided.Org, decided.Key);
                throw current is null
                    ? new EnrollmentRefusedException(WriteOutcome.NotFound, $"enrollment request {decided.Org}/{decided.Key} not found")
                    : new EnrollmentRefusedException(WriteOutcome.KeyConflict, $"enrollment request {decided.Org}/{decided.Key} was already {current.Parent}");
            }
            var intents = new List<ChangeIntent> { new(decided.Org, "enrollment", decided.Key, decided.Parent) };
            var committed = new List<ChangeRecord>();
            if (node is not null)
            {
                if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM nodes WHERE org = @Org AND id = @Id", node, transaction) != 0)
                {
                    throw new EnrollmentRefusedException(WriteOutcome.KeyConflict, $"node {node.Org}/{node.Id} already exists; approve with another node id");
                }
                var created = await nodes.SaveInTransactionAsync(connection, transaction, node, maxNodes, retry: false);
                if (!created.Succeeded)
                {
                    throw new EnrollmentRefusedException(created.Outcome, created.Outcome == WriteOutcome.LimitReached
                        ? $"node {node.Org}/{node.Id} not added: the org has reached its limit"
                        : $"node {node.Org}/{node.Id} could not be created");
                }
                committed.AddRange(created.Changes);
                if (nodePolicy is not null)
                {
                    await connection.ExecuteAsync($"INSERT INTO attachments ({Columns}) VALUES (@Kind, @Org, @Parent, @Key, @Document, @LastUpdated)",
                        new AttachmentRecord { Kind = AttachmentKinds.NodePolicy, Org = node.Org, Parent = node.Id, Key = "", Document = nodePolicy, LastUpdated = node.LastUpdated },
                        transaction);
                    intents.Add(new ChangeIntent(node.Org, "nodepolicy", node.Id, "created"));
                }
            }
            await connection.ExecuteAsync($"INSERT INTO attachments ({Columns}) VALUES (@Kind, @Org, @Parent, @Key, @Document, @LastUpdated)", audit, transaction);
            committed.AddRange(await changes.AppendAsync(connection, transaction, intents));
            return new WriteResult(WriteOutcome.Updated, committed);
        }, cancellationToken);
    }

    /// <summary>The node's revocation record, or null while its certificates may renew.</summary>
    public async Task<AttachmentRecord?> RevocationAsync(string org, string node, CancellationToken cancellationToken = default)
    {
        await using var connection = await storage.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<AttachmentRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM attachments WHERE kind = @kind AND org = @org AND parent = @node AND key = ''",
            new { kind = EnrollmentStates.RevocationKind, org, node }, cancellationToken: cancellationToken));
    }

    /// <summary>Writes an audit entry and, when given, a record beside it (a revocation: kept when one exists).</summary>
    public async Task<WriteResult> RecordAsync(AttachmentRecord audit, AttachmentRecord? record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audit);
        return await storage.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync($"INSERT INTO attachments ({Columns}) VALUES (@Kind, @Org, @Parent, @Key, @Document, @LastUpdated) ON CONFLICT DO NOTHING", audit, transaction);
            if (record is null)
            {
                return new WriteResult(WriteOutcome.Updated, []);
            }
            await connection.ExecuteAsync($"INSERT INTO attachments ({Columns}) VALUES (@Kind, @Org, @Parent, @Key, @Document, @LastUpdated) ON CONFLICT DO NOTHING", record, transaction);
            return new WriteResult(WriteOutcome.Updated, await changes.AppendAsync(connection, transaction,
                [new ChangeIntent(record.Org, "nodecertificate", record.Parent, "revoked")]));
        }, cancellationToken);
    }

    private static async Task<AttachmentRecord?> FindAsync(DbConnection connection, DbTransaction? transaction, string org, string id) =>
        await connection.QuerySingleOrDefaultAsync<AttachmentRecord>(
            $"SELECT {Columns} FROM attachments WHERE kind = @kind AND org = @org AND key = @id",
            new { kind = EnrollmentStates.Kind, org, id }, transaction);
}
