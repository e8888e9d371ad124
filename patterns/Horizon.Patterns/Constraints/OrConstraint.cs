namespace Horizon.Patterns.Constraints;

/// <summary><c>left OR right</c> (also <c>||</c>).</summary>
public sealed class OrConstraint(ConstraintNode left, ConstraintNode right) : ConstraintNode
{
    public ConstraintNode Left { get; } = left;

    public ConstraintNode Right { get; } = right;

    public override bool IsSatisfiedBy(PropertySet properties) => Left.IsSatisfiedBy(properties) || Right.IsSatisfiedBy(properties);

    internal override void Explain(PropertySet properties, List<string> reasons)
    {
        if (IsSatisfiedBy(properties))
        {
            return;
        }

        // Both sides failed; a user needs to see each to fix either.
        Left.Explain(properties, reasons);
        Right.Explain(properties, reasons);
    }

    public override string ToString() => $"({Left} OR {Right})";
}
