using System.Text.Json.Serialization;

namespace Horizon.Patterns.Model;

/// <summary>One entry of <c>serviceVersions[]</c>: a version the pattern or policy may deploy, with its priority.</summary>
public sealed record WorkloadVersion
{
    [JsonPropertyName("version")]
    public string Version { get; init => field = value ?? ""; } = "";

    [JsonPropertyName("priority")]
    public Priority? Priority { get; init; }

    [JsonPropertyName("upgradePolicy")]
    public UpgradePolicy? UpgradePolicy { get; init; }

    [JsonPropertyName("deployment_overrides")]
    public string? DeploymentOverrides { get; init; }

    [JsonPropertyName("deployment_overrides_signature")]
    public string? DeploymentOverridesSignature { get; init; }
}
