namespace Horizon.Patterns.Constraints;

/// <summary>
/// Matches in both directions, as Open Horizon does: the deployment's constraints against the node's
/// properties, and the node's constraints against the deployment's properties.
/// </summary>
public static class PolicyMatcher
{
    /// <summary>Whether the two sides accept each other. Allocates nothing; use <see cref="Match"/> for reasons.</summary>
    public static bool IsMatch(PolicyTerms node, PolicyTerms deployment)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(deployment);
        return deployment.Constraints.IsSatisfiedBy(node.Properties) && node.Constraints.IsSatisfiedBy(deployment.Properties);
    }

    /// <summary>Matches and, when they do not match, explains every unmet constraint on either side.</summary>
    public static PolicyMatch Match(PolicyTerms node, PolicyTerms deployment)
    {
        if (IsMatch(node, deployment))
        {
            return PolicyMatch.Compatible;
        }

        var reasons = new List<string>();
        reasons.AddRange(deployment.Constraints.Explain(node.Properties).Select(r => "deployment constraint " + r + " (node properties)"));
        reasons.AddRange(node.Constraints.Explain(deployment.Properties).Select(r => "node constraint " + r + " (deployment properties)"));
        return new PolicyMatch(false, reasons);
    }
}
