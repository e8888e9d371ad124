using System.Data.Common;
using Dapper;
using Horizon.Exchange.Storage;

namespace Horizon.Exchange.Enrollment;

/// <summary>
/// Enrollment requests and their audit, in the attachments table (see <see cref="EnrollmentStates"/>).
/// A decision, the node it creates, its policy and its audit entry commit in one transaction or not at all.
/// </summary>
public sealed partial class EnrollmentStore(IStorageProvider storage, ChangeLog changes, NodeStore nodes)
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
        return (await connection.QueryAsync<AttachmentRecord>(
            $"SELECT {Columns} FROM attachments WHERE kind = @kind AND org = @org AND (@state IS NULL OR parent = @state) ORDER BY lastupdated, key",
            new { kind = EnrollmentStates.Kind, org, state, cancellationToken })).ToList();
    }

    /// <summary>The org's audited decisions, oldest first.</summary>
    public async Task<IReadOnlyList<AttachmentRecord>> AuditAsync(string org, CancellationToken cancellationToken = default)
    {
        await using var connection = await storage.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<AttachmentRecord>(
            $"SELECT {Columns} FROM attachments WHERE kind = @kind AND org = @org ORDER BY lastupdated, key",
            new { kind = EnrollmentStates.AuditKind, org, cancellationToken })).ToList();
    }

    /// <summary>
    /// Stores a new request: approved by <paramref name="approval"/> (an auto-approval rule's, with its node, the node's
    /// policy and the audit entry, in the same transaction) when given and its node can be created, else pending.
    /// <see cref="WriteOutcome.LimitReached"/> when it would be pending and the org already holds <paramref name="maxPending"/>
    /// pending ones; <see cref="WriteOutcome.KeyConflict"/> when a request with its id exists (the caller reads it then).
    /// The outcome of a stored request is <see cref="WriteOutcome.Created"/> for a pending one and <see cref="WriteOutcome.Updated"/>
    /// for one stored approved.
    /// </summary>
    /// <exception cref="EnrollmentRefusedException"><paramref name="singleUse"/> names a certificate another request used already
    /// (<see cref="WriteOutcome.KeyConflict"/>), or <paramref name="voucher"/> (the enrollment certificate's name) vouched for
    /// <paramref name="maxPendingPerVoucher"/> pending requests already (<see cref="WriteOutcome.LimitReached"/>); nothing was written.</exception>
    public async Task<WriteResult> SubmitAsync(AttachmentRecord request, long maxPending, string? singleUse = null, string? voucher = null, long maxPendingPerVoucher = long.MaxValue,
        EnrollmentApprovalWrite? approval = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await storage.WriteAsync(async (connection, transaction) =>
        {
            if (await FindAsync(connection, transaction, request.Org, request.Key) is not null)
            {
                return WriteResult.Refused(WriteOutcome.KeyConflict);
            }
            if (singleUse is not null)
            {
                // Claimed in the request's own transaction: two devices racing with one late-binding certificate cannot both get in.
                var claim = new AttachmentRecord { Kind = EnrollmentStates.CertificateUseKind, Org = request.Org, Parent = singleUse, Key = "", Document = request.Key, LastUpdated = request.LastUpdated };
                await connection.ExecuteAsync($"INSERT INTO attachments ({Columns}) VALUES (@Kind, @Org, @Parent, @Key, @Document, @LastUpdated) ON CONFLICT DO NOTHING", claim, transaction);
                var user = await connection.QuerySingleOrDefaultAsync<string>(
                    "SELECT document FROM attachments WHERE kind = @Kind AND org = @Org AND parent = @Parent AND key = ''", claim, transaction);
                if (user != request.Key)
                {
                    throw new EnrollmentRefusedException(WriteOutcome.KeyConflict, $"enrollment certificate {request.Org}/{singleUse} is single-use and enrolled request {user} already");
                }
            }
            if (approval is not null && await CreateNodeAsync(connection, transaction, approval.Node, approval.Policy, approval.MaxNodes) is { } created)
            {
                // Approved at once: never pending, so neither cap applies; one transaction instead of a submission and a decision.
                await connection.ExecuteAsync($"INSERT INTO attachments ({Columns}) VALUES (@Kind, @Org, @Parent, @Key, @Document, @LastUpdated)", approval.Decided, transaction);
                await connection.ExecuteAsync($"INSERT INTO attachments ({Columns}) VALUES (@Kind, @Org, @Parent, @Key, @Document, @LastUpdated)", approval.Audit, transaction);
                var intents = new List<ChangeIntent>
                {
                    new(request.Org, "enrollment", request.Key, "created"),
                    new(request.Org, "enrollment", request.Key, approval.Decided.Parent),
                };
                intents.AddRange(created.Intents);
                return new WriteResult(WriteOutcome.Updated, new JoinedChanges(created.Changes, await changes.AppendAsync(connection, transaction, intents)));
            }
            var pending = await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM attachments WHERE kind = @kind AND org = @org AND parent = @state",
                new { kind = EnrollmentStates.Kind, org = request.Org, state = EnrollmentStates.Pending }, transaction);
            if (pending >= maxPending)
            {
                return WriteResult.Refused(WriteOutcome.LimitReached);
            }
            if (voucher is not null && pending >= maxPendingPerVoucher)
            {
                // The voucher's name is in the request's document only; a certificate name is an id (letters, digits, '-', '_',
                // '.'), so the exact JSON fragment names it and nothing else once LIKE's '_' is escaped.
                var fragment = "%\"enrollmentCertificate\":\"" + voucher.Replace("_", "\\_", StringComparison.Ordinal) + "\"%";
                var vouched = await connection.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM attachments WHERE kind = @kind AND org = @org AND parent = @state AND document LIKE @fragment ESCAPE '\\'",
                    new { kind = EnrollmentStates.Kind, org = request.Org, state = EnrollmentStates.Pending, fragment }, transaction);
                if (vouched >= maxPendingPerVoucher)
                {
                    throw new EnrollmentRefusedException(WriteOutcome.LimitReached,
                        $"enrollment certificate {request.Org}/{voucher} already vouched for {vouched} pending requests; try again after the org's admins decided some");
                }
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
            IReadOnlyList<ChangeRecord> nodeChanges = [];
            if (node is not null)
            {
                var created = await CreateNodeAsync(connection, transaction, node, nodePolicy, maxNodes, throwWhenRefused: true);
                nodeChanges = created!.Value.Changes;
                intents.AddRange(created.Value.Intents);
            }
            await connection.ExecuteAsync($"INSERT INTO attachments ({Columns}) VALUES (@Kind, @Org, @Parent, @Key, @Document, @LastUpdated)", audit, transaction);
            // Read through, not copied: the node's records are filled only at the commit (its "created" was never announced
            // while they were copied here).
            return new WriteResult(WriteOutcome.Updated, new JoinedChanges(nodeChanges, await changes.AppendAsync(connection, transaction, intents)));
        }, cancellationToken);
    }

    /// <summary>The node's revocation record, or null while its certificates may renew.</summary>
    public async Task<AttachmentRecord?> RevocationAsync(string org, string node, CancellationToken cancellationToken = default)
    {
        await using var connection = await storage.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<AttachmentRecord>(
            $"SELECT {Columns} FROM attachments WHERE kind = @kind AND org = @org AND parent = @node AND key = ''",
            new { kind = EnrollmentStates.RevocationKind, org, node, cancellationToken });
    }

    /// <summary>The org's node revocations (of <paramref name="node"/> only, when given), by node id.</summary>
    public async Task<IReadOnlyList<AttachmentRecord>> RevocationsAsync(string org, string? node, CancellationToken cancellationToken = default)
    {
        await using var connection = await storage.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<AttachmentRecord>(
            $"SELECT {Columns} FROM attachments WHERE kind = @kind AND org = @org AND (@node IS NULL OR parent = @node) ORDER BY parent",
            new { kind = EnrollmentStates.RevocationKind, org, node, cancellationToken })).ToList();
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

    /// <summary>The org's enrollment certificates by name, with the request that used each single-use one.</summary>
    public async Task<IReadOnlyList<(AttachmentRecord Certificate, string? UsedBy)>> ListCertificatesAsync(string org, CancellationToken cancellationToken = default)
    {
        await using var connection = await storage.OpenAsync(cancellationToken);
        var certificates = await connection.QueryAsync<AttachmentRecord>(
            $"SELECT {Columns} FROM attachments WHERE kind = @kind AND org = @org ORDER BY key",
            new { kind = EnrollmentStates.CertificateKind, org, cancellationToken });
        var uses = (await connection.QueryAsync<AttachmentRecord>(
            $"SELECT {Columns} FROM attachments WHERE kind = @kind AND org = @org",
            new { kind = EnrollmentStates.CertificateUseKind, org, cancellationToken })).ToDictionary(u => u.Parent, u => u.Document, StringComparer.Ordinal);
        return certificates.Select(c => (c, uses.GetValueOrDefault(c.Key))).ToList();
    }

    /// <summary>
    /// Stores an enrollment certificate with its audit entry: new (<see cref="WriteOutcome.KeyConflict"/> when the
    /// name is taken: names are never reused, so an old certificate cannot match a new record) or replacing
    /// <paramref name="replacing"/>'s document (a revocation; <see cref="WriteOutcome.NotFound"/> when it changed meanwhile).
    /// </summary>
    public async Task<WriteResult> SaveCertificateAsync(AttachmentRecord certificate, AttachmentRecord audit, string? replacing = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(audit);
        return await storage.WriteAsync(async (connection, transaction) =>
        {
            var written = replacing is null
                ? await connection.ExecuteAsync($"INSERT INTO attachments ({Columns}) VALUES (@Kind, @Org, @Parent, @Key, @Document, @LastUpdated) ON CONFLICT DO NOTHING", certificate, transaction)
                : await connection.ExecuteAsync("UPDATE attachments SET document = @Document, lastupdated = @LastUpdated WHERE kind = @Kind AND org = @Org AND parent = @Parent AND key = @Key AND document = @replacing",
                    new { certificate.Kind, certificate.Org, certificate.Parent, certificate.Key, certificate.Document, certificate.LastUpdated, replacing }, transaction);
            if (written == 0)
            {
                return WriteResult.Refused(replacing is null ? WriteOutcome.KeyConflict : WriteOutcome.NotFound);
            }
            await connection.ExecuteAsync($"INSERT INTO attachments ({Columns}) VALUES (@Kind, @Org, @Parent, @Key, @Document, @LastUpdated) ON CONFLICT DO NOTHING", audit, transaction);
            return new WriteResult(replacing is null ? WriteOutcome.Created : WriteOutcome.Updated, await changes.AppendAsync(connection, transaction,
                [new ChangeIntent(certificate.Org, "enrollmentcert", certificate.Key, replacing is null ? "created" : "revoked")]));
        }, cancellationToken);
    }

    /// <summary>
    /// Creates an approved request's node and its policy within the caller's transaction; null (nothing written) when the
    /// node exists or the org is full, or, with <paramref name="throwWhenRefused"/>, an <see cref="EnrollmentRefusedException"/> saying which.
    /// </summary>
    private async Task<(IReadOnlyList<ChangeRecord> Changes, IReadOnlyList<ChangeIntent> Intents)?> CreateNodeAsync(DbConnection connection, DbTransaction transaction,
        NodeRecord node, string? nodePolicy, long maxNodes, bool throwWhenRefused = false)
    {
        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM nodes WHERE org = @Org AND id = @Id", node, transaction) != 0)
        {
            if (throwWhenRefused)
            {
                throw new EnrollmentRefusedException(WriteOutcome.KeyConflict, $"node {node.Org}/{node.Id} already exists; approve with another node id");
            }
            return null;
        }
        var created = await nodes.SaveInTransactionAsync(connection, transaction, node, maxNodes, retry: false);
        if (!created.Succeeded)
        {
            if (throwWhenRefused)
            {
                throw new EnrollmentRefusedException(created.Outcome, created.Outcome == WriteOutcome.LimitReached
                    ? $"node {node.Org}/{node.Id} not added: the org has reached its limit"
                    : $"node {node.Org}/{node.Id} could not be created");
            }
            return null;
        }
        if (nodePolicy is null)
        {
            return (created.Changes, []);
        }
        await connection.ExecuteAsync($"INSERT INTO attachments ({Columns}) VALUES (@Kind, @Org, @Parent, @Key, @Document, @LastUpdated)",
            new AttachmentRecord { Kind = AttachmentKinds.NodePolicy, Org = node.Org, Parent = node.Id, Key = "", Document = nodePolicy, LastUpdated = node.LastUpdated },
            transaction);
        return (created.Changes, [new ChangeIntent(node.Org, "nodepolicy", node.Id, "created")]);
    }

    private static async Task<AttachmentRecord?> FindAsync(DbConnection connection, DbTransaction? transaction, string org, string id) =>
        await connection.QuerySingleOrDefaultAsync<AttachmentRecord>(
            $"SELECT {Columns} FROM attachments WHERE kind = @kind AND org = @org AND key = @id",
            new { kind = EnrollmentStates.Kind, org, id }, transaction);
}
