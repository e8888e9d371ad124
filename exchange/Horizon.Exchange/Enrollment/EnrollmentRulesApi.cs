using System.Text.Json;
using Horizon.Exchange.Api;
using Horizon.Exchange.Client;
using Horizon.Exchange.Storage;

namespace Horizon.Exchange.Enrollment;

/// <summary>
/// <c>/v1/orgs/{org}/enrollmentrules</c>: an org's admins (and hub admins) add, list and remove auto-approval
/// rules. Adding and removing are audited; approvals by a rule are audited as the rule's.
/// </summary>
internal static class EnrollmentRulesApi
{
    private const int MaxLabels = 32;

    public static RouteGroupBuilder MapEnrollmentRulesApi(this RouteGroupBuilder v1)
    {
        var rules = v1.MapGroup("/orgs/{org}/enrollmentrules").WithTags("Enrollment");
        rules.MapPost("/", AddAsync).Accepts<EnrollmentRule>("application/json").Produces<EnrollmentRule>(201);
        rules.MapGet("/", ListAsync).Produces<IReadOnlyList<EnrollmentRule>>();
        rules.MapDelete("/{name}", RemoveAsync).Produces<ApiResponse>();
        return v1;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? Authorize(string org, string verb, HttpContext http)
    {
        var caller = http.Caller();
        return caller.IsAdminOf(org) ? null : Problems.Forbidden($"{caller} may not {verb} auto-approval rules of org {org}; only its admins and hub admins may");
    }

    private static async Task<IResult> AddAsync(string org, HttpContext http, ExchangeServices exchange, EnrollmentStore store)
    {
        if (Authorize(org, "add", http) is { } refused)
        {
            return refused;
        }
        var (rule, problem) = await JsonBody.ReadAsync<EnrollmentRule>(http.Request);
        if (problem is not null)
        {
            return problem;
        }
        var invalid = Validation.CheckId("name", rule!.Name)
            ?? (EnrollmentRuleMatch.HasCriterion(rule) ? null : "a rule matches on arch, enrollmentCertificate or matchLabels (at least one); one that matched every request would approve anyone holding an enrollment certificate")
            ?? (rule.MatchLabels is { Count: > MaxLabels } ? $"matchLabels holds at most {MaxLabels} labels" : null)
            // JSON may give a label the value null; a label is a name and a string.
            ?? ((rule.MatchLabels ?? new Dictionary<string, string>()).Concat(rule.Labels ?? new Dictionary<string, string>()).Any(l => l.Value is null) ? "a label's value must be a string" : null)
            // The node id is the prefix and a 32-hex-digit machine id: check the prefix as part of one.
            ?? Validation.CheckId("nodePrefix", (rule.NodePrefix ?? "") + new string('0', 32))
            ?? (rule.Pattern is { Length: > 0 } p && p.Split('/').Length != 2 ? $"pattern '{p}' must read org/pattern" : null)
            ?? (rule.Pattern is { Length: > 0 } && (rule.Policy is not null || rule.Labels is { Count: > 0 }) ? "give a pattern, or a policy and labels, not both" : null)
            ?? EnrollmentPolicy.Build(rule.Policy, rule.Labels).Problem;
        if (invalid is not null)
        {
            return Problems.BadRequest(invalid);
        }
        if (await exchange.Identities.GetOrgAsync(org, http.RequestAborted) is null)
        {
            return Problems.NotFound($"org {org} not found");
        }
        var caller = http.Caller();
        var at = Clock.Now(exchange.Time);
        var stored = rule with { CreatedBy = caller.FullId, CreatedAt = at };
        var audit = new EnrollmentAuditEntry { Decision = "rule-added", By = caller.FullId, At = at, Detail = $"auto-approval rule {rule.Name}: {Describe(stored)}" };
        var result = await store.SaveRuleAsync(ToRow(org, stored, at), EnrollmentMapping.Audit(org, $"rule:{rule.Name}", audit), cancellationToken: http.RequestAborted);
        if (result.Outcome == WriteOutcome.KeyConflict)
        {
            return Problems.Conflict($"auto-approval rule {org}/{rule.Name} exists already; remove it first");
        }
        exchange.Committed(result);
        return TypedResults.Created($"{rule.Name}", stored);
    }

    private static async Task<IResult> ListAsync(string org, HttpContext http, EnrollmentStore store)
    {
        if (Authorize(org, "list", http) is { } refused)
        {
            return refused;
        }
        return TypedResults.Ok((await store.ListRulesAsync(org, http.RequestAborted)).Select(ToWire).ToList());
    }

    private static async Task<IResult> RemoveAsync(string org, string name, HttpContext http, ExchangeServices exchange, EnrollmentStore store)
    {
        if (Authorize(org, "remove", http) is { } refused)
        {
            return refused;
        }
        var caller = http.Caller();
        var at = Clock.Now(exchange.Time);
        var audit = new EnrollmentAuditEntry { Decision = "rule-removed", By = caller.FullId, At = at, Detail = $"auto-approval rule {name}" };
        var key = new AttachmentRecord { Kind = EnrollmentStates.RuleKind, Org = org, Parent = "", Key = name, Document = "", LastUpdated = at };
        var result = await store.SaveRuleAsync(key, EnrollmentMapping.Audit(org, $"rule:{name}", audit), remove: true, http.RequestAborted);
        if (result.Outcome == WriteOutcome.NotFound)
        {
            return Problems.NotFound($"auto-approval rule {org}/{name} not found");
        }
        exchange.Committed(result);
        return TypedResults.Ok(new ApiResponse { Code = "ok", Msg = $"auto-approval rule {org}/{name} removed" });
    }

    /// <summary>What the rule matches and what it approves into, for the audit.</summary>
    public static string Describe(EnrollmentRule rule)
    {
        var match = new List<string>();
        if (rule.Arch is { Length: > 0 })
        {
            match.Add($"arch {rule.Arch}");
        }
        if (rule.EnrollmentCertificate is { Length: > 0 })
        {
            match.Add($"enrollment certificate {rule.EnrollmentCertificate}");
        }
        match.AddRange((rule.MatchLabels ?? new Dictionary<string, string>()).Select(l => $"label {l.Key}={l.Value}"));
        var into = rule.Pattern is { Length: > 0 } ? $"pattern {rule.Pattern}" : rule.Policy is not null || rule.Labels is { Count: > 0 } ? "node policy" : "no pattern or policy";
        return $"matches {string.Join(", ", match)}; approves into node {rule.NodePrefix}<machine id>, {into}";
    }

    public static EnrollmentRule ToWire(AttachmentRecord row) =>
        JsonSerializer.Deserialize(row.Document, ExchangeJsonContext.Default.EnrollmentRule)! with { Name = row.Key };

    private static AttachmentRecord ToRow(string org, EnrollmentRule rule, string at) => new()
    {
        Kind = EnrollmentStates.RuleKind,
        Org = org,
        Parent = "",
        Key = rule.Name!,
        Document = JsonSerializer.Serialize(rule, ExchangeJsonContext.Default.EnrollmentRule),
        LastUpdated = at,
    };
}
