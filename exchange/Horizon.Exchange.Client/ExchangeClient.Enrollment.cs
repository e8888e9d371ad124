namespace Horizon.Exchange.Client;

public sealed partial class ExchangeClient
{
    /// <summary>The org's enrollment requests, those in <paramref name="state"/> (pending, approved, denied) or all (org admins only).</summary>
    /// <exception cref="ExchangeForbiddenException">The caller is not an admin of <paramref name="org"/>.</exception>
    public Task<IReadOnlyList<EnrollmentRequest>> ListEnrollmentsAsync(string org, string? state = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Path("orgs", org, "enrollments") + (state is null ? "" : $"?state={Uri.EscapeDataString(state)}"), null,
            Json.IReadOnlyListEnrollmentRequest, cancellationToken);

    /// <summary>One enrollment request with its facts and, once decided, the decision (org admins only).</summary>
    public Task<EnrollmentRequest> GetEnrollmentAsync(string org, string id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Path("orgs", org, "enrollments", id), null, Json.EnrollmentRequest, cancellationToken);

    /// <summary>Approves a pending request: creates the node and signs its device certificate (org admins only).</summary>
    /// <exception cref="ExchangeException">409 when the request was already decided or the node id is taken.</exception>
    public Task<EnrollmentRequest> ApproveEnrollmentAsync(string org, string id, EnrollmentApproval approval, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, Path("orgs", org, "enrollments", id, "approve"), Body(approval, Json.EnrollmentApproval), Json.EnrollmentRequest, cancellationToken);

    /// <summary>Denies a pending request, keeping the reason in the audit (org admins only).</summary>
    public Task<EnrollmentRequest> DenyEnrollmentAsync(string org, string id, EnrollmentDenial denial, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, Path("orgs", org, "enrollments", id, "deny"), Body(denial, Json.EnrollmentDenial), Json.EnrollmentRequest, cancellationToken);

    /// <summary>The device CA's certificate (PEM): what device certificates chain to. Anyone may read it.</summary>
    public async Task<string> GetDeviceCaAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendRawAsync(HttpMethod.Get, "enrollment/ca", null, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary>Every enrollment decision of the org: who decided what, when (org admins only).</summary>
    public Task<IReadOnlyList<EnrollmentAuditEntry>> GetEnrollmentAuditAsync(string org, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Path("orgs", org, "enrollmentaudit"), null, Json.IReadOnlyListEnrollmentAuditEntry, cancellationToken);

    /// <summary>Revokes the node's device certificates: its renewals are refused from now on (org admins only).</summary>
    public Task RevokeNodeCertificatesAsync(string org, string node, CertificateRevocation revocation, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, Path("orgs", org, "nodes", node, "certificate", "revoke"), Body(revocation, Json.CertificateRevocation), cancellationToken);

    /// <summary>
    /// The org's nodes whose device certificates were revoked (only <paramref name="node"/>, when given; empty when it
    /// was not revoked): one revocation entry each (org admins and hub admins only).
    /// </summary>
    /// <exception cref="ExchangeForbiddenException">The caller is not an admin of <paramref name="org"/>.</exception>
    public Task<IReadOnlyList<EnrollmentAuditEntry>> ListCertificateRevocationsAsync(string org, string? node = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Path("orgs", org, "certificaterevocations") + (node is null ? "" : $"?node={Uri.EscapeDataString(node)}"), null,
            Json.IReadOnlyListEnrollmentAuditEntry, cancellationToken);
}
