using System.Text.Json.Serialization;

namespace Horizon.Patterns.Model;

/// <summary>
/// A node's policy. Top-level properties and constraints apply to everything; the <see cref="Deployment"/>
/// section adds to them for workloads, <see cref="Management"/> for management work.
/// </summary>
public sealed record NodePolicy
{
    [JsonPropertyName("label")]
    public string? Label { get; init; }

    [JsonPropertyName("properties")]
    public IReadOnlyList<Property> Properties { get; init => field = value ?? []; } = [];

    [JsonPropertyName("constraints")]
    public IReadOnlyList<string> Constraints { get; init => field = value ?? []; } = [];

    [JsonPropertyName("deployment")]
    public PolicySection? Deployment { get; init; }

    [JsonPropertyName("management")]
    public PolicySection? Management { get; init; }

    [JsonPropertyName("lastUpdated")]
    public string? LastUpdated { get; init; }

    /// <summary>Top-level properties followed by the deployment section's (a later one with the same name wins).</summary>
    [JsonIgnore]
    public IReadOnlyList<Property> DeploymentProperties =>
        Deployment is null ? Properties : [.. Properties, .. Deployment.Properties];

    /// <summary>Top-level constraints plus the deployment section's.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> DeploymentConstraints =>
        Deployment is null ? Constraints : [.. Constraints, .. Deployment.Constraints];
}
