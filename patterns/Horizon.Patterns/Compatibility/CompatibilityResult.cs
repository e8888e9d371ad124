namespace Horizon.Patterns.Compatibility;

/// <summary>Whether a node can run a pattern or deployment policy, with every reason when it cannot (what <c>hzn deploycheck</c> prints).</summary>
public sealed record CompatibilityResult(bool IsCompatible, IReadOnlyList<string> Reasons)
{
    /// <summary>The reasons about user input (<c>hzn deploycheck userinput</c>); the others are about policy, arch and registration.</summary>
    public IReadOnlyList<string> UserInputReasons { get; init; } = [];

    internal static CompatibilityResult From(List<string> reasons, List<string>? userInputReasons = null) =>
        new(reasons.Count == 0, reasons) { UserInputReasons = userInputReasons ?? [] };
}
