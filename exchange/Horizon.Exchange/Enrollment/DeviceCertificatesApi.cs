using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Horizon.Exchange.Api;
using Horizon.Exchange.Client;
using Horizon.Exchange.Storage;

namespace Horizon.Exchange.Enrollment;

/// <summary>
/// <c>/v1/orgs/{org}/nodes/{id}/certificate/renew</c>: a node trades its current device certificate, from
/// two thirds of its life on, for a new one (no Basic credentials: the certificate and the proof of its
/// key are the credential). <c>…/certificate/revoke</c>: an org admin stops a node's renewals, its exchange calls and (through
/// the switchboard) its NATS access at once; <c>…/certificaterevocations</c> lists the revoked nodes.
/// </summary>
internal static class DeviceCertificatesApi
{
    public static RouteGroupBuilder MapAnonymousDeviceCertificatesApi(this RouteGroupBuilder v1)
    {
        v1.MapPost("/orgs/{org}/nodes/{id}/certificate/renew", RenewAsync).WithTags("Enrollment")
            .Accepts<CertificateRenewal>("application/json").Produces<IssuedCertificate>();
        return v1;
    }

    public static RouteGroupBuilder MapDeviceCertificatesApi(this RouteGroupBuilder v1)
    {
        v1.MapPost("/orgs/{org}/nodes/{id}/certificate/revoke", RevokeAsync).WithTags("Enrollment")
            .Accepts<CertificateRevocation>("application/json").Produces<ApiResponse>();
        v1.MapGet("/orgs/{org}/certificaterevocations", RevocationsAsync).WithTags("Enrollment")
            .Produces<IReadOnlyList<EnrollmentAuditEntry>>();
        return v1;
    }

    private static async Task<IResult> RenewAsync(string org, string id, HttpContext http, ExchangeServices exchange, EnrollmentStore store,
        DeviceCertificateAuthority ca, EnrollmentOptions options)
    {
        var (renewal, problem) = await JsonBody.ReadAsync<CertificateRenewal>(http.Request);
        if (problem is not null)
        {
            return problem;
        }
        X509Certificate2 current;
        try
        {
            current = X509Certificate2.CreateFromPem(renewal!.Certificate ?? "");
        }
        catch (CryptographicException)
        {
            return Problems.Unauthorized("certificate must be the node's current device certificate, PEM");
        }
        using (current)
        {
            var now = exchange.Time.GetUtcNow();
            if (!ca.Verifies(current, now))
            {
                return Problems.Unauthorized("the certificate was not issued by this exchange's CA, or it has expired; an expired node enrolls again");
            }
            if (current.GetNameInfo(X509NameType.SimpleName, forIssuer: false) != $"{org}/{id}")
            {
                return Problems.Forbidden($"the certificate is {current.GetNameInfo(X509NameType.SimpleName, false)}'s, not node {org}/{id}'s");
            }
            var node = await exchange.Nodes.GetAsync(org, id, http.RequestAborted);
            if (node is null)
            {
                return Problems.Forbidden($"node {org}/{id} no longer exists; its certificate renews nothing");
            }
            var (csr, refused) = EnrollmentCsrCheck.Check(renewal.Csr, node.Name, node.PublicKey, node.EncryptionKey);
            if (refused is not null)
            {
                return Problems.BadRequest(refused);
            }
            if (string.IsNullOrEmpty(renewal.Signature) || !EnrollmentCsr.HoldsKey(current, renewal.Csr!, renewal.Signature))
            {
                return Problems.Unauthorized("signature does not prove the current certificate's key (ECDSA-SHA256 over the new CSR's DER bytes)");
            }
            if (await store.RevocationAsync(org, id, http.RequestAborted) is not null)
            {
                return Problems.Forbidden($"the certificates of node {org}/{id} were revoked; it enrolls again after an admin deletes the node");
            }
            // Two thirds of the life: early enough that a node offline for a while still renews, late enough
            // that a stolen certificate cannot be traded for a fresh one at will.
            var from = new DateTimeOffset(current.NotBefore.ToUniversalTime()) + ((current.NotAfter - current.NotBefore) * 2 / 3);
            if (now < from)
            {
                return Problems.Conflict($"too early: this certificate renews from {Clock.Text(from)} (two thirds of its life) on");
            }
            using var issued = ca.Issue(csr!.PublicKey, org, id, node.PublicKey, now, options.CertificateLifetime);
            var at = Clock.Text(now);
            var audit = new EnrollmentAuditEntry
            {
                Decision = "renewed",
                By = $"{org}/{id}",
                At = at,
                Node = id,
                Detail = $"certificate serial {current.SerialNumber} renewed as {issued.SerialNumber}, valid until {Clock.Text(issued.NotAfter)}",
            };
            await store.RecordAsync(EnrollmentMapping.Audit(org, $"node:{id}", audit), null, http.RequestAborted);
            return TypedResults.Ok(new IssuedCertificate
            {
                Node = id,
                Certificate = issued.ExportCertificatePem(),
                CaCertificate = ca.CertificatePem,
                NotAfter = Clock.Text(issued.NotAfter),
            });
        }
    }

    /// <summary>
    /// The org's revoked nodes (one with <c>?node=</c>): what the switchboard reads to refuse NATS credentials to a
    /// revoked node and to catch a revocation whose change notification it missed.
    /// </summary>
    private static async Task<IResult> RevocationsAsync(string org, string? node, HttpContext http, EnrollmentStore store)
    {
        var caller = http.Caller();
        if (!caller.IsAdminOf(org))
        {
            return Problems.Forbidden($"{caller} may not read the certificate revocations of org {org}; only its admins and hub admins may");
        }
        return TypedResults.Ok((await store.RevocationsAsync(org, string.IsNullOrEmpty(node) ? null : node, http.RequestAborted))
            .Select(EnrollmentMapping.AuditToWire).ToList());
    }

    private static async Task<IResult> RevokeAsync(string org, string id, HttpContext http, ExchangeServices exchange, EnrollmentStore store)
    {
        var caller = http.Caller();
        if (!caller.IsAdminOf(org))
        {
            return Problems.Forbidden($"{caller} may not revoke certificates of org {org}; only its admins and hub admins may");
        }
        var (revocation, problem) = await JsonBody.ReadAsync<CertificateRevocation>(http.Request);
        if (problem is not null)
        {
            return problem;
        }
        if (await exchange.Nodes.GetAsync(org, id, http.RequestAborted) is null)
        {
            return Problems.NotFound($"node {org}/{id} not found");
        }
        var at = Clock.Now(exchange.Time);
        var audit = new EnrollmentAuditEntry { Decision = "revoked", By = caller.FullId, At = at, Node = id, Detail = revocation!.Reason ?? "" };
        var record = new AttachmentRecord
        {
            Kind = EnrollmentStates.RevocationKind,
            Org = org,
            Parent = id,
            Key = "",
            Document = JsonSerializer.Serialize(audit, ExchangeJsonContext.Default.EnrollmentAuditEntry),
            LastUpdated = at,
        };
        var result = await store.RecordAsync(EnrollmentMapping.Audit(org, $"node:{id}", audit), record, http.RequestAborted);
        // The node's certificate stops working on its next request here; other exchanges forget it within the credential cache's lifetime.
        exchange.Verifier.Forget(org, id);
        exchange.Committed(result);
        return TypedResults.Ok(new ApiResponse { Code = "ok", Msg = $"certificates of node {org}/{id} revoked" });
    }
}
