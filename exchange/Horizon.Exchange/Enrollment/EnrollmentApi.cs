using System.Security.Cryptography.X509Certificates;
using Horizon.Exchange.Api;
using Horizon.Exchange.Client;
using Horizon.Exchange.Storage;

namespace Horizon.Exchange.Enrollment;

/// <summary>
/// <c>/v1/orgs/{org}/enrollments</c>: devices submit enrollment requests and read their result without
/// credentials (they have none yet); the org's admins (and hub admins) list, approve and deny them,
/// and read the audit of decisions at <c>/v1/orgs/{org}/enrollmentaudit</c>.
/// </summary>
internal static class EnrollmentApi
{
    private const int MaxFactLength = 256;
    private const int MaxLabels = 32;

    /// <summary>The routes a device calls before it has any identity.</summary>
    public static RouteGroupBuilder MapAnonymousEnrollmentApi(this RouteGroupBuilder v1)
    {
        v1.MapGet("/enrollment/ca", (DeviceCertificateAuthority ca) => TypedResults.Text(ca.CertificatePem, "application/x-pem-file")).WithTags("Enrollment");
        var enrollments = v1.MapGroup("/orgs/{org}/enrollments").WithTags("Enrollment");
        enrollments.MapPost("/", SubmitAsync).Accepts<EnrollmentSubmission>("application/json").Produces<EnrollmentResult>(202);
        enrollments.MapGet("/{id}/result", ResultAsync).Produces<EnrollmentResult>();
        return v1;
    }

    public static RouteGroupBuilder MapEnrollmentApi(this RouteGroupBuilder v1)
    {
        var enrollments = v1.MapGroup("/orgs/{org}/enrollments").WithTags("Enrollment");
        enrollments.MapGet("/", ListAsync).Produces<IReadOnlyList<EnrollmentRequest>>();
        enrollments.MapGet("/{id}", GetAsync).Produces<EnrollmentRequest>();
        enrollments.MapPost("/{id}/approve", ApproveAsync).Accepts<EnrollmentApproval>("application/json").Produces<EnrollmentRequest>();
        enrollments.MapPost("/{id}/deny", DenyAsync).Accepts<EnrollmentDenial>("application/json").Produces<EnrollmentRequest>();
        v1.MapGet("/orgs/{org}/enrollmentaudit", AuditAsync).WithTags("Enrollment").Produces<IReadOnlyList<EnrollmentAuditEntry>>();
        return v1;
    }

    private static async Task<IResult> SubmitAsync(string org, HttpContext http, ExchangeServices exchange, EnrollmentStore store,
        DeviceCertificateAuthority ca, EnrollmentOptions options)
    {
        var (submission, problem) = await JsonBody.ReadAsync<EnrollmentSubmission>(http.Request);
        if (problem is not null)
        {
            return problem;
        }
        var facts = submission!.Facts ?? new EnrollmentFacts();
        var invalid = (string.IsNullOrEmpty(submission.PublicKey) ? "publicKey is required" : Validation.CheckIdentityKey("publicKey", submission.PublicKey))
            ?? (string.IsNullOrEmpty(submission.EncryptionKey) ? "encryptionKey is required" : Validation.CheckEncryptionKey("encryptionKey", submission.EncryptionKey))
            ?? Validation.CheckId("facts.machineId", facts.MachineId)
            ?? CheckFacts(facts);
        if (invalid is not null)
        {
            return Problems.BadRequest(invalid);
        }
        var (csr, refused) = EnrollmentCsrCheck.Check(submission.Csr, facts.MachineId, submission.PublicKey, submission.EncryptionKey);
        if (refused is not null)
        {
            return Problems.BadRequest(refused);
        }
        if (await exchange.Identities.GetOrgAsync(org, http.RequestAborted) is not { } orgRecord)
        {
            return Problems.NotFound($"org {org} not found");
        }
        var id = EnrollmentCsrCheck.RequestId(csr!);
        var (vouching, unvouched) = await EnrollmentCertificateCheck.CheckAsync(org, submission, id, ca, store, exchange.Time.GetUtcNow(), http.RequestAborted);
        if (unvouched is not null)
        {
            return unvouched;
        }
        var now = Clock.Now(exchange.Time);
        var request = new EnrollmentRequest
        {
            Id = id,
            Orgid = org,
            State = EnrollmentStates.Pending,
            Csr = submission.Csr,
            PublicKey = submission.PublicKey,
            EncryptionKey = submission.EncryptionKey,
            Facts = facts,
            SubmittedAt = now,
            EnrollmentCertificate = vouching!.Name,
        };
        // An auto-approval rule decides before the write, so a request it approves is stored approved, with its node,
        // policy and audit entry, in the one transaction that stores it (it is never pending). When that node cannot be
        // created (id taken, org full) the same transaction stores the request pending instead.
        var auto = await AutoApprovalAsync(request, csr!.PublicKey, orgRecord, exchange, store, ca, options, http.RequestAborted);
        WriteResult result;
        try
        {
            result = await store.SubmitAsync(EnrollmentMapping.ToRow(request, now), options.MaxPendingPerOrg, vouching.SingleUse == true ? vouching.Name : null,
                vouching.Name, options.MaxPendingPerCertificate, auto?.Write, http.RequestAborted);
        }
        catch (EnrollmentRefusedException e) when (e.Outcome == WriteOutcome.LimitReached)
        {
            return Problems.Make(StatusCodes.Status429TooManyRequests, "Too many pending requests", e.Message);
        }
        catch (EnrollmentRefusedException e)
        {
            return Problems.Forbidden(e.Message);
        }
        if (result.Outcome == WriteOutcome.LimitReached)
        {
            return Problems.Make(StatusCodes.Status429TooManyRequests, "Too many pending requests",
                $"org {org} already holds {options.MaxPendingPerOrg} pending enrollment requests; try again after its admins decided some");
        }
        if (result.Succeeded)
        {
            exchange.Committed(result);
            var stored = result.Outcome == WriteOutcome.Updated ? auto!.Value.Approved : request;
            return TypedResults.Accepted($"{id}/result", EnrollmentMapping.ToResult(stored, ca.CertificatePem));
        }
        // A request under this CSR key exists. The same request again (lost answer, agent restart, replay) gets the
        // stored request's state and changes nothing; anything else under that key is refused. The CSR's own bytes may
        // differ (ECDSA signatures are randomized), but its subject was checked to name these keys.
        var existing = EnrollmentMapping.ToWire((await store.GetAsync(org, id, http.RequestAborted))!);
        if (existing.State == EnrollmentStates.Pending && existing.PublicKey == request.PublicKey
            && existing.EncryptionKey == request.EncryptionKey && SameFacts(existing.Facts, request.Facts) && existing.EnrollmentCertificate == request.EnrollmentCertificate)
        {
            return TypedResults.Ok(EnrollmentMapping.ToResult(existing, ca.CertificatePem));
        }
        return Problems.Conflict(existing.State == EnrollmentStates.Pending
            ? $"enrollment request {id} for this CSR key is pending with other content; wait for its decision"
            : $"enrollment request {id} for this CSR key was already {existing.State}; a device enrolls again with a new key");
    }

    private static string? CheckFacts(EnrollmentFacts facts) =>
        facts.Cpus is < 0 ? "facts.cpus must not be negative"
        : facts.MemoryMb is < 0 ? "facts.memoryMb must not be negative"
        : (facts.Arch?.Length ?? 0) > MaxFactLength || (facts.OsRelease?.Length ?? 0) > MaxFactLength ? $"facts.arch and facts.osRelease hold at most {MaxFactLength} characters"
        : facts.Labels is { Count: > MaxLabels } ? $"facts.labels holds at most {MaxLabels} labels"
        : facts.Labels?.Any(l => l.Key.Length is 0 or > 64 || l.Value is null || l.Value.Length > MaxFactLength) == true ? $"a label name holds 1 to 64 characters, its value at most {MaxFactLength}"
        : null;

    // Records compare their dictionaries by reference: compare what was sent instead.
    private static bool SameFacts(EnrollmentFacts? stored, EnrollmentFacts? sent) =>
        System.Text.Json.JsonSerializer.Serialize(stored ?? new EnrollmentFacts(), ExchangeJsonContext.Default.EnrollmentFacts)
        == System.Text.Json.JsonSerializer.Serialize(sent ?? new EnrollmentFacts(), ExchangeJsonContext.Default.EnrollmentFacts);

    private static async Task<IResult> ResultAsync(string org, string id, EnrollmentStore store, DeviceCertificateAuthority ca, HttpContext http)
    {
        var row = await store.GetAsync(org, id, http.RequestAborted);
        return row is null
            ? Problems.NotFound($"enrollment request {org}/{id} not found")
            : TypedResults.Ok(EnrollmentMapping.ToResult(EnrollmentMapping.ToWire(row), ca.CertificatePem));
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? Authorize(string org, string verb, HttpContext http)
    {
        var caller = http.Caller();
        return caller.IsAdminOf(org) ? null : Problems.Forbidden($"{caller} may not {verb} enrollment requests of org {org}; only its admins and hub admins may");
    }

    private static async Task<IResult> ListAsync(string org, string? state, HttpContext http, EnrollmentStore store)
    {
        if (Authorize(org, "list", http) is { } refused)
        {
            return refused;
        }
        if (state is not null and not (EnrollmentStates.Pending or EnrollmentStates.Approved or EnrollmentStates.Denied))
        {
            return Problems.BadRequest("state must be pending, approved or denied");
        }
        return TypedResults.Ok((await store.ListAsync(org, state, http.RequestAborted)).Select(EnrollmentMapping.ToWire).ToList());
    }

    private static async Task<IResult> GetAsync(string org, string id, HttpContext http, EnrollmentStore store)
    {
        if (Authorize(org, "read", http) is { } refused)
        {
            return refused;
        }
        var row = await store.GetAsync(org, id, http.RequestAborted);
        return row is null ? Problems.NotFound($"enrollment request {org}/{id} not found") : TypedResults.Ok(EnrollmentMapping.ToWire(row));
    }

    private static async Task<IResult> AuditAsync(string org, HttpContext http, EnrollmentStore store)
    {
        if (Authorize(org, "read the audit of", http) is { } refused)
        {
            return refused;
        }
        return TypedResults.Ok((await store.AuditAsync(org, http.RequestAborted)).Select(EnrollmentMapping.AuditToWire).ToList());
    }

    private static async Task<IResult> ApproveAsync(string org, string id, HttpContext http, ExchangeServices exchange, EnrollmentStore store,
        DeviceCertificateAuthority ca, EnrollmentOptions options)
    {
        if (Authorize(org, "approve", http) is { } refused)
        {
            return refused;
        }
        var (approval, problem) = await JsonBody.ReadAsync<EnrollmentApproval>(http.Request);
        if (problem is not null)
        {
            return problem;
        }
        var invalid = Validation.CheckId("node", approval!.Node)
            ?? (approval.Pattern is { Length: > 0 } p && p.Split('/').Length != 2 ? $"pattern '{p}' must read org/pattern" : null)
            ?? (approval.Pattern is { Length: > 0 } && (approval.Policy is not null || approval.Labels is { Count: > 0 })
                ? "give a pattern, or a policy and labels, not both" : null);
        var (policy, policyProblem) = EnrollmentPolicy.Build(approval.Policy, approval.Labels);
        if ((invalid ?? policyProblem) is { } bad)
        {
            return Problems.BadRequest(bad);
        }
        var row = await store.GetAsync(org, id, http.RequestAborted);
        if (row is null)
        {
            return Problems.NotFound($"enrollment request {org}/{id} not found");
        }
        var request = EnrollmentMapping.ToWire(row);
        if (request.State != EnrollmentStates.Pending)
        {
            return Problems.Conflict($"enrollment request {org}/{id} was already {request.State}");
        }
        var caller = http.Caller();
        return await ApproveRequestAsync(request, approval, policy, caller.FullId, caller.FullId, exchange, store, ca, options, http);
    }

    /// <summary>
    /// The approval of a new request by the first auto-approval rule it matches (as <c>rule:&lt;name&gt;</c>, the node owned
    /// by the rule's creator), to be written with the request; null when no rule matches or the rule's node id or policy is invalid.
    /// </summary>
    private static async Task<(EnrollmentRequest Approved, EnrollmentApprovalWrite Write)?> AutoApprovalAsync(EnrollmentRequest request, PublicKey csrKey,
        OrgRecord org, ExchangeServices exchange, EnrollmentStore store, DeviceCertificateAuthority ca, EnrollmentOptions options, CancellationToken cancellationToken)
    {
        var rules = (await store.ListRulesAsync(request.Orgid!, cancellationToken)).Select(EnrollmentRulesApi.ToWire);
        if (EnrollmentRuleMatch.First(rules, request) is not { } rule)
        {
            return null;
        }
        var node = (rule.NodePrefix ?? "") + request.Facts?.MachineId;
        var (policy, problem) = EnrollmentPolicy.Build(rule.Policy, rule.Labels);
        if (problem is not null || Validation.CheckId("node", node) is not null)
        {
            return null;
        }
        var approval = new EnrollmentApproval { Node = node, Pattern = rule.Pattern };
        return Approval(request, csrKey, approval, policy, $"rule:{rule.Name}", rule.CreatedBy!,
            $", auto-approval rule {rule.Name} (added by {rule.CreatedBy} at {rule.CreatedAt})", Api.OrgLimits.MaxNodes(org, exchange), exchange, ca, options);
    }

    /// <summary>Approves a pending request: <paramref name="by"/> decided it, <paramref name="owner"/> owns the node it creates.</summary>
    private static async Task<IResult> ApproveRequestAsync(EnrollmentRequest request, EnrollmentApproval approval, string? policy, string by, string owner,
        ExchangeServices exchange, EnrollmentStore store, DeviceCertificateAuthority ca, EnrollmentOptions options, HttpContext http)
    {
        // Its signature was verified when the request was submitted, and only a verified CSR is stored.
        var csr = CertificateRequest.LoadSigningRequestPem(request.Csr!, System.Security.Cryptography.HashAlgorithmName.SHA256,
            CertificateRequestLoadOptions.SkipSignatureValidation);
        var maxNodes = Api.OrgLimits.MaxNodes(await exchange.Identities.GetOrgAsync(request.Orgid!, http.RequestAborted), exchange);
        var (approved, write) = Approval(request, csr.PublicKey, approval, policy, by, owner, "", maxNodes, exchange, ca, options);
        return await DecideAsync(approved, write.Decided, write.Audit, write.Node, write.Policy, write.MaxNodes, exchange, store, http);
    }

    /// <summary>The approved request and what approving it writes, its device certificate signed for <paramref name="csrKey"/>.</summary>
    private static (EnrollmentRequest Approved, EnrollmentApprovalWrite Write) Approval(EnrollmentRequest request, PublicKey csrKey, EnrollmentApproval approval,
        string? policy, string by, string owner, string why, long maxNodes, ExchangeServices exchange, DeviceCertificateAuthority ca, EnrollmentOptions options)
    {
        var org = request.Orgid!;
        var now = exchange.Time.GetUtcNow();
        using var certificate = ca.Issue(csrKey, org, approval.Node!, request.PublicKey!, now, options.CertificateLifetime);
        var at = Clock.Text(now);
        var approved = request with
        {
            State = EnrollmentStates.Approved,
            Node = approval.Node,
            Certificate = certificate.ExportCertificatePem(),
            DecidedBy = by,
            DecidedAt = at,
        };
        var node = new NodeRecord
        {
            Org = org,
            Id = approval.Node!,
            Owner = owner,
            // No token: an enrolled node's credential is its device certificate, and an empty hash matches no token.
            TokenHash = "",
            Name = request.Facts?.MachineId ?? "",
            NodeType = "device",
            Pattern = approval.Pattern ?? "",
            Arch = request.Facts?.Arch ?? "",
            PublicKey = request.PublicKey!,
            EncryptionKey = request.EncryptionKey!,
            Document = "{}",
            LastUpdated = at,
        };
        var audit = new EnrollmentAuditEntry
        {
            Request = request.Id,
            Decision = EnrollmentStates.Approved,
            By = by,
            At = at,
            Node = approval.Node,
            Detail = $"certificate serial {certificate.SerialNumber}, valid until {Clock.Text(certificate.NotAfter)}"
                + (approval.Pattern is { Length: > 0 } ? $", pattern {approval.Pattern}" : policy is not null ? ", node policy" : "") + why,
        };
        return (approved, new EnrollmentApprovalWrite(EnrollmentMapping.ToRow(approved, at), EnrollmentMapping.Audit(org, request.Id!, audit), node, policy, maxNodes));
    }

    private static async Task<IResult> DenyAsync(string org, string id, HttpContext http, ExchangeServices exchange, EnrollmentStore store)
    {
        if (Authorize(org, "deny", http) is { } refused)
        {
            return refused;
        }
        var (denial, problem) = await JsonBody.ReadAsync<EnrollmentDenial>(http.Request);
        if (problem is not null)
        {
            return problem;
        }
        if (denial!.Reason is { Length: > 1000 })
        {
            return Problems.BadRequest("reason holds at most 1000 characters");
        }
        var row = await store.GetAsync(org, id, http.RequestAborted);
        if (row is null)
        {
            return Problems.NotFound($"enrollment request {org}/{id} not found");
        }
        var caller = http.Caller();
        var at = Clock.Now(exchange.Time);
        var denied = EnrollmentMapping.ToWire(row) with { State = EnrollmentStates.Denied, DecidedBy = caller.FullId, DecidedAt = at, Reason = denial.Reason ?? "" };
        var audit = new EnrollmentAuditEntry { Request = id, Decision = EnrollmentStates.Denied, By = caller.FullId, At = at, Detail = denial.Reason ?? "" };
        return await DecideAsync(denied, EnrollmentMapping.ToRow(denied, at), EnrollmentMapping.Audit(org, id, audit), null, null, 0, exchange, store, http);
    }

    private static async Task<IResult> DecideAsync(EnrollmentRequest decided, AttachmentRecord row, AttachmentRecord audit, NodeRecord? node, string? policy, long maxNodes,
        ExchangeServices exchange, EnrollmentStore store, HttpContext http)
    {
        try
        {
            var result = await store.DecideAsync(row, audit,
                node, policy, maxNodes, http.RequestAborted);
            exchange.Committed(result);
            return TypedResults.Ok(decided);
        }
        catch (EnrollmentRefusedException e)
        {
            return e.Outcome switch
            {
                WriteOutcome.NotFound => Problems.NotFound(e.Message),
                WriteOutcome.LimitReached => Problems.Make(StatusCodes.Status403Forbidden, "Limit reached", e.Message),
                _ => Problems.Conflict(e.Message),
            };
        }
    }
}
