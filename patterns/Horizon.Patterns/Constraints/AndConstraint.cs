namespace Horizon.Patterns.Constraints;

/// <summary>Terms joined by <c>AND</c> (or <c>&amp;&amp;</c>); no terms at all is satisfied, as in anax.</summary>
public sealed class AndConstraint(IReadOnlyList<ConstraintNode> terms) : ConstraintNode
{
    public IReadOnlyList<ConstraintNode> Terms { get; } = terms;

    public override bool IsSatisfiedBy(PropertySet properties)
    {
        foreach (var term in Terms)
        {
            if (!term.IsSatisfiedBy(properties))
            {
                return false;
            }
        }

        return true;
    }

    internal override void Explain(PropertySet properties, List<string> reasons)
    {
        foreach (var term in Terms)
        {
            term.Explain(properties, reasons);
        }
    }

    public override string ToString() => Terms.Count == 1 ? Terms[0].ToString()! : $"({string.Join(" AND ", Terms)})";
}
