using System.Text.Json;
using System.Text.Json.Serialization;

namespace Horizon.Agreements;

/// <summary>
/// The terms and conditions of a proposal: the merged policy with one workload. It carries the
/// signed deployment of the top-level service and of every service it requires, so the node can
/// verify each against the publisher keys it reads from the exchange.
/// </summary>
public sealed record AgreementTerms
{
    /// <summary>The agbot proposing, <c>org/id</c>.</summary>
    [JsonPropertyName("agbot")] public string Agbot { get; init; } = "";

    /// <summary><c>org/pattern</c> when the agreement comes from a pattern.</summary>
    [JsonPropertyName("pattern")] public string? Pattern { get; init; }

    /// <summary><c>org/policy</c> when the agreement comes from a deployment policy.</summary>
    [JsonPropertyName("deploymentPolicy")] public string? DeploymentPolicy { get; init; }

    [JsonPropertyName("service")] public WorkloadService Service { get; init; } = new();

    /// <summary>Required services resolved to concrete versions, in no particular order.</summary>
    [JsonPropertyName("dependencies")] public IReadOnlyList<WorkloadService> Dependencies { get; init; } = [];

    [JsonPropertyName("userInput")] public IReadOnlyList<ServiceUserInput> UserInput { get; init; } = [];

    [JsonPropertyName("nodeHealth")] public NodeHealthTerms? NodeHealth { get; init; }

    /// <summary>Priority of the chosen version in the pattern or policy (lower is preferred); 0 when none given.</summary>
    [JsonPropertyName("priority")] public int Priority { get; init; }

    /// <summary>How many times the node restarts a failing container before it cancels; 0 = the node's default.</summary>
    [JsonPropertyName("retries")] public int Retries { get; init; }

    /// <summary>Window in seconds over which <see cref="Retries"/> are counted; 0 = the node's default.</summary>
    [JsonPropertyName("retryDurations")] public int RetryDurations { get; init; }
}

/// <summary>One service as it is to run: identity, signed deployment and what it needs.</summary>
public sealed record WorkloadService
{
    [JsonPropertyName("org")] public string Org { get; init; } = "";

    [JsonPropertyName("url")] public string Url { get; init; } = "";

    [JsonPropertyName("version")] public string Version { get; init; } = "";

    [JsonPropertyName("arch")] public string Arch { get; init; } = "";

    /// <summary><c>exclusive</c>, <c>singleton</c> or <c>multiple</c>.</summary>
    [JsonPropertyName("sharable")] public string Sharable { get; init; } = "multiple";

    /// <summary>The exact deployment string the publisher signed.</summary>
    [JsonPropertyName("deployment")] public string Deployment { get; init; } = "";

    /// <summary>Base64 ECDSA-SHA256 signature of <see cref="Deployment"/>'s UTF-8 bytes.</summary>
    [JsonPropertyName("deploymentSignature")] public string DeploymentSignature { get; init; } = "";

    [JsonPropertyName("requiredServices")] public IReadOnlyList<RequiredServiceRef> RequiredServices { get; init; } = [];

    /// <summary>
    /// The service's user inputs as its definition declares them; the node injects a <c>defaultValue</c>
    /// when neither the node owner nor the pattern or deployment policy supplies the input.
    /// </summary>
    [JsonPropertyName("userInput")] public IReadOnlyList<UserInputDeclaration> UserInputs { get; init; } = [];

    /// <summary><c>org/url/version/arch</c>, the exchange's service key.</summary>
    [JsonIgnore] public string Key => $"{Org}/{Url}/{Version}/{Arch}";
}

/// <summary>One <c>userInput</c> entry of a service definition: its name, type and default (null: required).</summary>
public sealed record UserInputDeclaration
{
    [JsonPropertyName("name")] public string Name { get; init; } = "";

    [JsonPropertyName("type")] public string Type { get; init; } = "string";

    [JsonPropertyName("defaultValue")] public string? DefaultValue { get; init; }
}

/// <summary>A dependency as the consumer declared it.</summary>
public sealed record RequiredServiceRef
{
    [JsonPropertyName("org")] public string Org { get; init; } = "";

    [JsonPropertyName("url")] public string Url { get; init; } = "";

    [JsonPropertyName("versionRange")] public string VersionRange { get; init; } = "";

    [JsonPropertyName("arch")] public string Arch { get; init; } = "";
}

/// <summary>User input values for one service, in the shape of Open Horizon's <c>userInput</c> sections.</summary>
public sealed record ServiceUserInput
{
    [JsonPropertyName("serviceOrgid")] public string ServiceOrgid { get; init; } = "";

    [JsonPropertyName("serviceUrl")] public string ServiceUrl { get; init; } = "";

    [JsonPropertyName("serviceArch")] public string? ServiceArch { get; init; }

    [JsonPropertyName("serviceVersionRange")] public string? ServiceVersionRange { get; init; }

    [JsonPropertyName("inputs")] public IReadOnlyList<UserInputValue> Inputs { get; init; } = [];
}

public sealed record UserInputValue
{
    [JsonPropertyName("name")] public string Name { get; init; } = "";

    [JsonPropertyName("value")] public JsonElement Value { get; init; }
}

/// <summary>How the agbot watches the node once agreed (from the pattern's or policy's <c>nodeHealth</c>).</summary>
public sealed record NodeHealthTerms
{
    [JsonPropertyName("missing_heartbeat_interval")] public int MissingHeartbeatInterval { get; init; }

    [JsonPropertyName("check_agreement_status")] public int CheckAgreementStatus { get; init; }
}
