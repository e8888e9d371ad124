namespace Horizon.Patterns.Constraints;

/// <summary>Alternatives joined by <c>OR</c> (or <c>||</c>); each alternative is an <see cref="AndConstraint"/>.</summary>
public sealed class OrConstraint(IReadOnlyList<ConstraintNode> alternatives) : ConstraintNode
{
    public IReadOnlyList<ConstraintNode> Alternatives { get; } = alternatives;

    public override bool IsSatisfiedBy(PropertySet properties)
    {
        foreach (var alternative in Alternatives)
        {
            if (alternative.IsSatisfiedBy(properties))
            {
                return true;
            }
        }

        return false;
    }

    internal override void Explain(PropertySet properties, List<string> reasons)
    {
        if (IsSatisfiedBy(properties))
        {
            return;
        }

        // Every alternative failed; a user needs to see each to fix any.
        foreach (var alternative in Alternatives)
        {
            alternative.Explain(properties, reasons);
        }
    }

    public override string ToString() => Alternatives.Count == 1 ? Alternatives[0].ToString()! : $"({string.Join(" OR ", Alternatives)})";
}
