namespace Horizon.Patterns.Compatibility;

/// <summary>Whether a node can run a pattern or deployment policy, with every reason when it cannot (what <c>hzn deploycheck</c> prints).</summary>
public sealed record CompatibilityResult(bool IsCompatible, IReadOnlyList<string> Reasons)
{
    internal static CompatibilityResult From(List<string> reasons) => new(reasons.Count == 0, reasons);
}
