namespace Horizon.Patterns.Constraints;

/// <summary>A node of a parsed constraint expression.</summary>
public abstract class ConstraintNode
{
    private protected ConstraintNode()
    {
    }

    /// <summary>Whether the properties satisfy this node. Allocates nothing.</summary>
    public abstract bool IsSatisfiedBy(PropertySet properties);

    /// <summary>Adds to <paramref name="reasons"/> why the properties do not satisfy this node (nothing if they do).</summary>
    internal abstract void Explain(PropertySet properties, List<string> reasons);
}
