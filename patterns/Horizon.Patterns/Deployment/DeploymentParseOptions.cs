namespace Horizon.Patterns.Deployment;

/// <summary>How strictly a deployment string is checked.</summary>
public sealed record DeploymentParseOptions
{
    /// <summary>Pinned images only; the setting for anything that is signed or about to run.</summary>
    public static DeploymentParseOptions Default { get; } = new();

    /// <summary>Accept images referenced by tag. Only for drafts the CLI will pin before signing.</summary>
    public bool AllowUnpinnedImages { get; init; }
}
