using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Horizon.Exchange.Api;
using Horizon.Exchange.Client;
using Horizon.Exchange.Storage;

namespace Horizon.Exchange.Enrollment;

/// <summary>
/// <c>/v1/orgs/{org}/enrollmentcerts</c>: an org's admins (and hub admins) have the device CA sign enrollment
/// certificates for keys they hold, list them and revoke them. Each creation and revocation is audited.
/// </summary>
internal static class EnrollmentCertificatesApi
{
    private static readonly TimeSpan ShortestLife = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan LongestLife = TimeSpan.FromDays(5 * 365);
    private static readonly TimeSpan DefaultLife = TimeSpan.FromDays(365);

    public static RouteGroupBuilder MapEnrollmentCertificatesApi(this RouteGroupBuilder v1)
    {
        var certificates = v1.MapGroup("/orgs/{org}/enrollmentcerts").WithTags("Enrollment");
        certificates.MapPost("/", CreateAsync).Accepts<EnrollmentCertificateOrder>("application/json").Produces<EnrollmentCertificateInfo>(201);
        certificates.MapGet("/", ListAsync).Produces<IReadOnlyList<EnrollmentCertificateInfo>>();
        certificates.MapGet("/{name}", GetAsync).Produces<EnrollmentCertificateInfo>();
        certificates.MapPost("/{name}/revoke", RevokeAsync).Accepts<CertificateRevocation>("application/json").Produces<EnrollmentCertificateInfo>();
        return v1;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? Authorize(string org, string verb, HttpContext http)
    {
        var caller = http.Caller();
        return caller.IsAdminOf(org) ? null : Problems.Forbidden($"{caller} may not {verb} enrollment certificates of org {org}; only its admins and hub admins may");
    }

    private static async Task<IResult> CreateAsync(string org, HttpContext http, ExchangeServices exchange, EnrollmentStore store, DeviceCertificateAuthority ca)
    {
        if (Authorize(org, "create", http) is { } refused)
        {
            return refused;
        }
        var (order, problem) = await JsonBody.ReadAsync<EnrollmentCertificateOrder>(http.Request);
        if (problem is not null)
        {
            return problem;
        }
        var life = order!.TtlSeconds is { } seconds ? TimeSpan.FromSeconds(Math.Clamp(seconds, 0, (long)LongestLife.TotalSeconds + 1)) : DefaultLife;
        var invalid = Validation.CheckId("name", order.Name)
            ?? (order.MachineId is null ? null : Validation.CheckId("machineId", order.MachineId))
            ?? (life < ShortestLife || life > LongestLife ? $"ttlSeconds must be from {ShortestLife.TotalSeconds:0} to {LongestLife.TotalSeconds:0}" : null);
        if (invalid is not null)
        {
            return Problems.BadRequest(invalid);
        }
        CertificateRequest csr;
        try
        {
            csr = CertificateRequest.LoadSigningRequestPem(order.Csr ?? "", HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default);
        }
        catch (CryptographicException e)
        {
            return Problems.BadRequest($"csr is not a PEM certificate request with a valid signature by its own key: {e.Message}");
        }
        if (!EnrollmentCsrCheck.IsP256(csr))
        {
            return Problems.BadRequest("csr must be for an EC P-256 key");
        }
        if (await exchange.Identities.GetOrgAsync(org, http.RequestAborted) is null)
        {
            return Problems.NotFound($"org {org} not found");
        }
        var caller = http.Caller();
        var now = exchange.Time.GetUtcNow();
        using var certificate = ca.IssueEnrollment(csr.PublicKey, org, order.Name!, now, life);
        var at = Clock.Text(now);
        var info = new EnrollmentCertificateInfo
        {
            Name = order.Name,
            Orgid = org,
            Serial = certificate.SerialNumber,
            Certificate = certificate.ExportCertificatePem(),
            NotAfter = Clock.Text(certificate.NotAfter),
            SingleUse = order.SingleUse == true,
            MachineId = order.MachineId,
            CreatedBy = caller.FullId,
            CreatedAt = at,
        };
        var audit = new EnrollmentAuditEntry
        {
            Decision = "enrollmentcert-created",
            By = caller.FullId,
            At = at,
            Detail = $"enrollment certificate {order.Name}, serial {certificate.SerialNumber}, valid until {info.NotAfter}"
                + (order.SingleUse == true ? ", single-use" : "") + (order.MachineId is null ? "" : $", machine {order.MachineId} only"),
        };
        var result = await store.SaveCertificateAsync(ToRow(info, at), EnrollmentMapping.Audit(org, $"cert:{order.Name}", audit), cancellationToken: http.RequestAborted);
        if (result.Outcome == WriteOutcome.KeyConflict)
        {
            return Problems.Conflict($"enrollment certificate {org}/{order.Name} exists already; names are not reused, choose another");
        }
        exchange.Committed(result);
        return TypedResults.Created($"{order.Name}", info with { CaCertificate = ca.CertificatePem });
    }

    private static async Task<IResult> ListAsync(string org, HttpContext http, EnrollmentStore store)
    {
        if (Authorize(org, "list", http) is { } refused)
        {
            return refused;
        }
        return TypedResults.Ok((await store.ListCertificatesAsync(org, http.RequestAborted)).Select(c => ToWire(c.Certificate, c.UsedBy)).ToList());
    }

    private static async Task<IResult> GetAsync(string org, string name, HttpContext http, EnrollmentStore store)
    {
        if (Authorize(org, "read", http) is { } refused)
        {
            return refused;
        }
        var (row, usedBy) = await store.GetCertificateAsync(org, name, http.RequestAborted);
        return row is null ? Problems.NotFound($"enrollment certificate {org}/{name} not found") : TypedResults.Ok(ToWire(row, usedBy));
    }

    private static async Task<IResult> RevokeAsync(string org, string name, HttpContext http, ExchangeServices exchange, EnrollmentStore store)
    {
        if (Authorize(org, "revoke", http) is { } refused)
        {
            return refused;
        }
        var (revocation, problem) = await JsonBody.ReadAsync<CertificateRevocation>(http.Request);
        if (problem is not null)
        {
            return problem;
        }
        if (revocation!.Reason is { Length: > 1000 })
        {
            return Problems.BadRequest("reason holds at most 1000 characters");
        }
        var (row, usedBy) = await store.GetCertificateAsync(org, name, http.RequestAborted);
        if (row is null)
        {
            return Problems.NotFound($"enrollment certificate {org}/{name} not found");
        }
        var info = ToWire(row, usedBy);
        if (info.RevokedAt is not null)
        {
            return TypedResults.Ok(info);
        }
        var caller = http.Caller();
        var at = Clock.Now(exchange.Time);
        var revoked = info with { RevokedBy = caller.FullId, RevokedAt = at, Reason = revocation.Reason ?? "", UsedBy = null };
        var audit = new EnrollmentAuditEntry
        {
            Decision = "enrollmentcert-revoked",
            By = caller.FullId,
            At = at,
            Detail = $"enrollment certificate {name}, serial {info.Serial}" + (revocation.Reason is { Length: > 0 } r ? $": {r}" : ""),
        };
        var result = await store.SaveCertificateAsync(ToRow(revoked, at), EnrollmentMapping.Audit(org, $"cert:{name}", audit), row.Document, http.RequestAborted);
        if (!result.Succeeded)
        {
            return Problems.Conflict($"enrollment certificate {org}/{name} changed meanwhile; try again");
        }
        exchange.Committed(result);
        return TypedResults.Ok(revoked with { UsedBy = usedBy });
    }

    public static EnrollmentCertificateInfo ToWire(AttachmentRecord row, string? usedBy) =>
        JsonSerializer.Deserialize(row.Document, ExchangeJsonContext.Default.EnrollmentCertificateInfo)! with { Name = row.Key, Orgid = row.Org, UsedBy = usedBy };

    private static AttachmentRecord ToRow(EnrollmentCertificateInfo info, string at) => new()
    {
        Kind = EnrollmentStates.CertificateKind,
        Org = info.Orgid!,
        Parent = "",
        Key = info.Name!,
        Document = JsonSerializer.Serialize(info, ExchangeJsonContext.Default.EnrollmentCertificateInfo),
        LastUpdated = at,
    };
}
