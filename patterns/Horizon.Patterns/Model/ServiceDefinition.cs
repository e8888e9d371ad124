using System.Text.Json;
using System.Text.Json.Serialization;

namespace Horizon.Patterns.Model;

/// <summary>
/// A service as published to the exchange, with Open Horizon's field names. The
/// <see cref="Deployment"/> is a JSON string signed byte for byte by <see cref="DeploymentSignature"/>.
/// Check semantics with <c>ModelValidation.Validate</c>.
/// </summary>
public sealed record ServiceDefinition
{
    [JsonPropertyName("org")]
    public string? Org { get; init; }

    [JsonPropertyName("owner")]
    public string? Owner { get; init; }

    [JsonPropertyName("label")]
    public string? Label { get; init; }

    [JsonPropertyName("description")]
    public string? Description { get; init; }

    [JsonPropertyName("documentation")]
    public string? Documentation { get; init; }

    [JsonPropertyName("public")]
    public bool Public { get; init; }

    [JsonPropertyName("url")]
    public string Url { get; init => field = value ?? ""; } = "";

    [JsonPropertyName("version")]
    public string Version { get; init => field = value ?? ""; } = "";

    [JsonPropertyName("arch")]
    public string Arch { get; init => field = value ?? ""; } = "";

    [JsonPropertyName("sharable")]
    public Sharable Sharable { get; init; } = Sharable.Multiple;

    /// <summary>Open Horizon's hardware match hints; carried, not interpreted.</summary>
    [JsonPropertyName("matchHardware")]
    public JsonElement? MatchHardware { get; init; }

    [JsonPropertyName("requiredServices")]
    public IReadOnlyList<RequiredService> RequiredServices { get; init => field = value ?? []; } = [];

    /// <summary>Open Horizon calls this list <c>userInput</c> (singular) in its JSON.</summary>
    [JsonPropertyName("userInput")]
    public IReadOnlyList<UserInputDefinition> UserInputs { get; init => field = value ?? []; } = [];

    /// <summary>The deployment description as a JSON string; see <c>DeploymentParser</c>.</summary>
    [JsonPropertyName("deployment")]
    public string Deployment { get; init => field = value ?? ""; } = "";

    /// <summary>Base64 ECDSA-SHA256 signature over the UTF-8 bytes of <see cref="Deployment"/>.</summary>
    [JsonPropertyName("deploymentSignature")]
    public string DeploymentSignature { get; init => field = value ?? ""; } = "";

    /// <summary>Publisher's public key (SPKI PEM) or self-signed certificate (PEM) that verifies the signature.</summary>
    [JsonPropertyName("publicKey")]
    public string? PublicKey { get; init; }

    /// <summary>Open Horizon's Kubernetes operator deployment; Horizon runs Docker only, so a non-empty value is rejected.</summary>
    [JsonPropertyName("clusterDeployment")]
    public string? ClusterDeployment { get; init; }

    [JsonPropertyName("clusterDeploymentSignature")]
    public string? ClusterDeploymentSignature { get; init; }

    [JsonPropertyName("imageStore")]
    public ImageStore? ImageStore { get; init; }

    [JsonPropertyName("lastUpdated")]
    public string? LastUpdated { get; init; }
}
