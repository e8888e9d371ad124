namespace Horizon.Patterns.Constraints;

/// <summary><c>left AND right</c> (also <c>&amp;&amp;</c>).</summary>
public sealed class AndConstraint(ConstraintNode left, ConstraintNode right) : ConstraintNode
{
    public ConstraintNode Left { get; } = left;

    public ConstraintNode Right { get; } = right;

    public override bool IsSatisfiedBy(PropertySet properties) => Left.IsSatisfiedBy(properties) && Right.IsSatisfiedBy(properties);

    internal override void Explain(PropertySet properties, List<string> reasons)
    {
        Left.Explain(properties, reasons);
        Right.Explain(properties, reasons);
    }

    public override string ToString() => $"({Left} AND {Right})";
}
