using System.Text.Json.Serialization;

namespace Horizon.Patterns.Model;

/// <summary>The <c>service</c> block of a deployment policy: which service, in which versions and priorities.</summary>
public sealed record DeploymentPolicyService
{
    /// <summary>The service URL (Open Horizon calls it <c>name</c> here).</summary>
    [JsonPropertyName("name")]
    public string Name { get; init => field = value ?? ""; } = "";

    [JsonPropertyName("org")]
    public string Org { get; init => field = value ?? ""; } = "";

    /// <summary>The architecture, or <c>*</c> / empty for any.</summary>
    [JsonPropertyName("arch")]
    public string Arch { get; init => field = value ?? ""; } = "";

    [JsonPropertyName("serviceVersions")]
    public IReadOnlyList<WorkloadVersion> ServiceVersions { get; init => field = value ?? []; } = [];

    [JsonPropertyName("nodeHealth")]
    public NodeHealth? NodeHealth { get; init; }
}
