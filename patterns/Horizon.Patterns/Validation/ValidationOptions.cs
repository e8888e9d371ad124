namespace Horizon.Patterns.Validation;

/// <summary>What the validator insists on beyond shape.</summary>
public sealed record ValidationOptions
{
    /// <summary>What the exchange and nodes use: signed deployments with pinned images.</summary>
    public static ValidationOptions Default { get; } = new();

    /// <summary>Accept images referenced by tag (drafts the CLI pins before publishing).</summary>
    public bool AllowUnpinnedImages { get; init; }

    /// <summary>Demand a <c>deploymentSignature</c> whenever there is a deployment.</summary>
    public bool RequireDeploymentSignature { get; init; } = true;
}
