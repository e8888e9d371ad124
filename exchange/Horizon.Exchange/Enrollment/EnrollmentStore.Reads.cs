using Dapper;
using Horizon.Exchange.Storage;

namespace Horizon.Exchange.Enrollment;

/// <summary>What the credential filter reads of the node a device certificate names: its identity key, owner and whether it is revoked.</summary>
public sealed record CertificateHolderRecord
{
    public string PublicKey { get; init; } = "";
    public string Owner { get; init; } = "";
    public long Revocations { get; init; }
}

/// <summary>An enrollment certificate's row with the request that used it, when it is single-use and used.</summary>
public sealed record EnrollmentCertificateRow
{
    public string Kind { get; init; } = "";
    public string Org { get; init; } = "";
    public string Parent { get; init; } = "";
    public string Key { get; init; } = "";
    public string Document { get; init; } = "{}";
    public string LastUpdated { get; init; } = "";
    public string? UsedBy { get; init; }
}

// Reads on every enrollment and every new mTLS connection, each one query (one pooled connection, one statement)
// where they were two: issue 22's throughput.
public sealed partial class EnrollmentStore
{
    /// <summary>The node <paramref name="org"/>/<paramref name="node"/> as a device certificate's holder, or null when there is no such node.</summary>
    public async Task<CertificateHolderRecord?> CertificateHolderAsync(string org, string node, CancellationToken cancellationToken = default)
    {
        await using var connection = await storage.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<CertificateHolderRecord>(
            """
            SELECT n.publickey AS PublicKey, n.owner AS Owner, COUNT(r.key) AS Revocations
            FROM nodes n LEFT JOIN attachments r ON r.kind = @kind AND r.org = n.org AND r.parent = n.id AND r.key = ''
            WHERE n.org = @org AND n.id = @node
            GROUP BY n.publickey, n.owner
            """,
            new { kind = EnrollmentStates.RevocationKind, org, node, cancellationToken });
    }

    /// <summary>The org's enrollment certificate <paramref name="name"/>, and the request that used it when it is single-use.</summary>
    public async Task<(AttachmentRecord? Certificate, string? UsedBy)> GetCertificateAsync(string org, string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await storage.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<EnrollmentCertificateRow>(
            """
            SELECT c.kind AS Kind, c.org AS Org, c.parent AS Parent, c.key AS Key, c.document AS Document, c.lastupdated AS LastUpdated, u.document AS UsedBy
            FROM attachments c LEFT JOIN attachments u ON u.kind = @useKind AND u.org = c.org AND u.parent = c.key AND u.key = ''
            WHERE c.kind = @kind AND c.org = @org AND c.parent = '' AND c.key = @name
            """,
            new { kind = EnrollmentStates.CertificateKind, useKind = EnrollmentStates.CertificateUseKind, org, name, cancellationToken });
        return row is null
            ? (null, null)
            : (new AttachmentRecord { Kind = row.Kind, Org = row.Org, Parent = row.Parent, Key = row.Key, Document = row.Document, LastUpdated = row.LastUpdated }, row.UsedBy);
    }
}
