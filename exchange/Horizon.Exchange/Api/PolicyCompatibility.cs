using Horizon.Patterns.Constraints;
using Horizon.Patterns.Json;
using Horizon.Patterns.Model;

namespace Horizon.Exchange.Api;

/// <summary>
/// Whether a node and a deployment policy accept each other, in Open Horizon's sense: the
/// deployment's constraints hold for the node's properties and the node's (deployment)
/// constraints hold for the deployment's properties.
/// </summary>
internal sealed class PolicyCompatibility
{
    private readonly ConstraintSet _constraints;
    private readonly PropertySet _properties;

    /// <exception cref="Horizon.Patterns.Validation.ModelFormatException">The stored deployment policy no longer parses.</exception>
    public PolicyCompatibility(string deploymentPolicyJson)
    {
        var policy = ModelJson.ParseDeploymentPolicy(deploymentPolicyJson);
        _constraints = ConstraintSet.Parse(policy.Constraints);
        _properties = PropertySet.Create(policy.Properties);
    }

    /// <summary>False for a node without a policy, or with one that does not parse.</summary>
    public bool Accepts(string nodePolicyJson)
    {
        if (nodePolicyJson.Length == 0)
        {
            return false;
        }
        try
        {
            NodePolicy node = ModelJson.ParseNodePolicy(nodePolicyJson);
            return _constraints.IsSatisfiedBy(PropertySet.Create(node.DeploymentProperties))
                && ConstraintSet.Parse(node.DeploymentConstraints).IsSatisfiedBy(_properties);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
