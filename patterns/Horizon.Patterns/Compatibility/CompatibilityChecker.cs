using Horizon.Patterns.Constraints;
using Horizon.Patterns.Json;
using Horizon.Patterns.Model;
using Horizon.Patterns.Validation;
using Horizon.Patterns.Versions;

namespace Horizon.Patterns.Compatibility;

/// <summary>
/// Decides whether a node can run a pattern or a deployment policy and says why not: pattern
/// registration, architecture, constraints in both directions, required user input, privilege.
/// Pass a <see cref="ServiceLookup"/> to check user input and privilege against the published
/// services; without one only registration, arch and constraints are checked.
/// </summary>
public static class CompatibilityChecker
{
    /// <summary>Checks a node against the pattern <paramref name="patternId"/> (<c>org/name</c>).</summary>
    public static CompatibilityResult CheckPattern(NodeDescription node, string patternId, Pattern pattern, ServiceLookup? services = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(pattern);
        var reasons = new List<string>();
        if (node.Pattern is null)
        {
            reasons.Add($"the node is not registered with a pattern (it is a policy node), so pattern {patternId} does not apply");
        }
        else if (!string.Equals(node.Pattern, patternId, StringComparison.Ordinal))
        {
            reasons.Add($"the node is registered with pattern {node.Pattern}, not {patternId}");
        }

        var forArch = pattern.Services.Where(s => ArchMatches(s.ServiceArch, node.Arch)).ToList();
        if (forArch.Count == 0)
        {
            var offered = string.Join(", ", pattern.Services.Select(s => s.ServiceArch).Distinct(StringComparer.Ordinal));
            reasons.Add($"no service of pattern {patternId} runs on {node.Arch} (the pattern offers {offered})");
        }

        var userInputReasons = new List<string>();
        if (services is not null)
        {
            foreach (var entry in forArch)
            {
                var ordered = WorkloadSelector.ByPriority(entry.ServiceVersions);
                var choice = ordered.Count > 0 ? ordered[0] : null;
                if (choice is not null)
                {
                    CheckService(node, entry.ServiceOrgid, entry.ServiceUrl, choice.Version, pattern.UserInput, services, reasons, userInputReasons);
                }
            }
        }

        return CompatibilityResult.From(reasons, userInputReasons);
    }

    /// <summary>
    /// Checks a node against a deployment policy. <paramref name="servicePolicies"/> gives the deployed
    /// service's own policy, which Open Horizon merges into the deployment policy.
    /// </summary>
    public static CompatibilityResult CheckPolicy(NodeDescription node, DeploymentPolicy policy, ServiceLookup? services = null, ServicePolicyLookup? servicePolicies = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(policy);
        var reasons = new List<string>();
        if (node.Pattern is not null)
        {
            reasons.Add($"the node is registered with pattern {node.Pattern}; deployment policies apply only to nodes without a pattern");
        }

        if (!ArchMatches(policy.Service.Arch, node.Arch))
        {
            reasons.Add($"the policy deploys {policy.Service.Arch} and the node is {node.Arch}");
        }

        var ordered = WorkloadSelector.ByPriority(policy.Service.ServiceVersions);
        var choice = ordered.Count > 0 ? ordered[0] : null;
        var version = choice?.Version ?? "0.0.0";
        try
        {
            var nodeTerms = PolicyTerms.ForNode(node.Policy, node.BuiltInProperties());
            var servicePolicy = servicePolicies?.Invoke(policy.Service.Org, policy.Service.Name, version, node.Arch);
            var deploymentTerms = PolicyTerms.ForDeployment(policy, version, node.Arch, servicePolicy);
            reasons.AddRange(PolicyMatcher.Match(nodeTerms, deploymentTerms).Reasons);
        }
        catch (ModelFormatException ex)
        {
            reasons.AddRange(ex.Errors.Select(e => $"a policy is invalid: {e}"));
        }

        var userInputReasons = new List<string>();
        if (services is not null && choice is not null)
        {
            CheckService(node, policy.Service.Org, policy.Service.Name, choice.Version, policy.UserInput, services, reasons, userInputReasons);
        }

        return CompatibilityResult.From(reasons, userInputReasons);
    }

    /// <summary>Whether a service arch (<c>*</c> or empty for any) suits the node arch.</summary>
    public static bool ArchMatches(string? serviceArch, string nodeArch) =>
        string.IsNullOrEmpty(serviceArch) || serviceArch == "*" || string.Equals(serviceArch, nodeArch, StringComparison.Ordinal);

    private static void CheckService(
        NodeDescription node, string org, string url, string version, IReadOnlyList<ServiceUserInput> supplied, ServiceLookup services, List<string> reasons,
        List<string> userInputReasons)
    {
        var name = $"{org}/{url} {version}";
        var definition = services(org, url).FirstOrDefault(s =>
            string.Equals(s.Arch, node.Arch, StringComparison.Ordinal) && SameVersion(s.Version, version));
        if (definition is null)
        {
            reasons.Add($"service {name} for {node.Arch} is not published");
            return;
        }

        foreach (var input in definition.UserInputs.Where(i => i.DefaultValue is null))
        {
            if (!Supplies(supplied, org, url, version, input.Name) && !Supplies(node.UserInput, org, url, version, input.Name))
            {
                var reason = $"service {name} needs user input {input.Name}, which neither the deployment nor the node supplies";
                reasons.Add(reason);
                userInputReasons.Add(reason);
            }
        }

        if (!string.IsNullOrWhiteSpace(definition.Deployment) && !node.AllowPrivileged)
        {
            try
            {
                var deployment = ModelJson.Deserialize(definition.Deployment, PatternsJsonContext.Default.DeploymentDescription);
                if (deployment.PrivilegeRequests is [_, ..] requests)
                {
                    var needs = requests.Any(r => r.Contains(".cap_add ", StringComparison.Ordinal))
                        ? $"privilege ({string.Join(", ", requests)})"
                        : "privileged mode or the host network";
                    reasons.Add($"service {name} needs {needs}, and the node does not allow it ({BuiltInProperties.AllowPrivileged} is false)");
                }
            }
            catch (ModelFormatException ex)
            {
                reasons.Add($"service {name} has an invalid deployment: {ex.Errors[0]}");
            }
        }
    }

    private static bool Supplies(IReadOnlyList<ServiceUserInput> inputs, string org, string url, string version, string name) =>
        inputs.Any(i => i.ServiceOrgid == org && i.ServiceUrl == url && InRange(i.ServiceVersionRange, version)
            && i.Inputs.Any(v => v.Name == name));

    private static bool InRange(string? range, string version) =>
        string.IsNullOrWhiteSpace(range)
        || (VersionRange.TryParse(range, out var r, out _) && ServiceVersion.TryParse(version, out var v) && r.Contains(v));

    private static bool SameVersion(string a, string b) =>
        ServiceVersion.TryParse(a, out var x) && ServiceVersion.TryParse(b, out var y) && x == y;
}
