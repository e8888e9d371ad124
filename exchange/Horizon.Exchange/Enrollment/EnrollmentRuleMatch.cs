using Horizon.Exchange.Client;

namespace Horizon.Exchange.Enrollment;

/// <summary>Which auto-approval rule, if any, approves a request: a pure decision over the rules and the request.</summary>
internal static class EnrollmentRuleMatch
{
    /// <summary>The first rule (by name) whose every criterion holds for <paramref name="request"/>; null when none does.</summary>
    public static EnrollmentRule? First(IEnumerable<EnrollmentRule> rules, EnrollmentRequest request) =>
        rules.OrderBy(r => r.Name, StringComparer.Ordinal).FirstOrDefault(r => Matches(r, request));

    public static bool Matches(EnrollmentRule rule, EnrollmentRequest request)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(request);
        // A rule without any criterion is refused when it is created; checked again so that one can never approve everything.
        if (!HasCriterion(rule))
        {
            return false;
        }
        var facts = request.Facts ?? new EnrollmentFacts();
        return (rule.Arch is null || rule.Arch == facts.Arch)
            && (rule.EnrollmentCertificate is null || rule.EnrollmentCertificate == request.EnrollmentCertificate)
            && (rule.MatchLabels ?? new Dictionary<string, string>()).All(l => facts.Labels is { } labels && labels.TryGetValue(l.Key, out var value) && value == l.Value);
    }

    public static bool HasCriterion(EnrollmentRule rule) =>
        rule.Arch is { Length: > 0 } || rule.EnrollmentCertificate is { Length: > 0 } || rule.MatchLabels is { Count: > 0 };
}
