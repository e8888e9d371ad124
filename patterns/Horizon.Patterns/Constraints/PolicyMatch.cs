namespace Horizon.Patterns.Constraints;

/// <summary>The outcome of matching a node against a deployment: compatible, or every reason why not.</summary>
public sealed record PolicyMatch(bool IsMatch, IReadOnlyList<string> Reasons)
{
    public static PolicyMatch Compatible { get; } = new(true, []);
}
