using Horizon.Patterns.Model;

namespace Horizon.Patterns.Constraints;

/// <summary>
/// One side of a policy match, compiled once: its typed properties (built-ins included) and its parsed
/// constraints. An agbot compiles each node's terms when the node changes, not on every scan.
/// </summary>
public sealed class PolicyTerms
{
    public PolicyTerms(PropertySet properties, ConstraintSet constraints)
    {
        Properties = properties ?? throw new ArgumentNullException(nameof(properties));
        Constraints = constraints ?? throw new ArgumentNullException(nameof(constraints));
    }

    public PropertySet Properties { get; }

    public ConstraintSet Constraints { get; }

    /// <summary>A node's deployment-facing terms: its policy (top level and <c>deployment</c> section) plus built-ins, which win.</summary>
    /// <exception cref="Validation.ModelFormatException">A property does not fit its type or a constraint does not parse.</exception>
    public static PolicyTerms ForNode(NodePolicy? policy, IEnumerable<Property> builtIns)
    {
        ArgumentNullException.ThrowIfNull(builtIns);
        var properties = PropertySet.Create([.. policy?.DeploymentProperties ?? [], .. builtIns]);
        return new PolicyTerms(properties, ConstraintSet.Parse(policy?.DeploymentConstraints ?? []));
    }

    /// <summary>
    /// A deployment policy's terms for one version of its service, with the service built-ins added and,
    /// as Open Horizon merges them, the service's own policy: its properties added (the deployment
    /// policy's win on a clash), its constraints ANDed.
    /// </summary>
    /// <exception cref="Validation.ModelFormatException">A property does not fit its type or a constraint does not parse.</exception>
    public static PolicyTerms ForDeployment(DeploymentPolicy policy, string version, string arch, ServicePolicy? servicePolicy = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var builtIns = BuiltInProperties.ForService(policy.Service.Org, policy.Service.Name, version, arch);
        var properties = PropertySet.Create([.. servicePolicy?.Properties ?? [], .. policy.Properties, .. builtIns]);
        return new PolicyTerms(properties, ConstraintSet.Parse([.. policy.Constraints, .. servicePolicy?.Constraints ?? []]));
    }
}
