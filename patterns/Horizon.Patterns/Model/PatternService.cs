using System.Text.Json;
using System.Text.Json.Serialization;

namespace Horizon.Patterns.Model;

/// <summary>One top-level service of a pattern: <c>services[]</c> in Open Horizon's pattern.</summary>
public sealed record PatternService
{
    [JsonPropertyName("serviceUrl")]
    public string ServiceUrl { get; init => field = value ?? ""; } = "";

    [JsonPropertyName("serviceOrgid")]
    public string ServiceOrgid { get; init => field = value ?? ""; } = "";

    /// <summary>The architecture, or <c>*</c> / empty for any.</summary>
    [JsonPropertyName("serviceArch")]
    public string ServiceArch { get; init => field = value ?? ""; } = "";

    [JsonPropertyName("agreementLess")]
    public bool AgreementLess { get; init; }

    [JsonPropertyName("serviceVersions")]
    public IReadOnlyList<WorkloadVersion> ServiceVersions { get; init => field = value ?? []; } = [];

    /// <summary>Open Horizon's data verification block; carried, not interpreted.</summary>
    [JsonPropertyName("dataVerification")]
    public JsonElement? DataVerification { get; init; }

    /// <summary>Open Horizon puts node health per service; when absent the pattern's <see cref="Pattern.NodeHealth"/> applies.</summary>
    [JsonPropertyName("nodeHealth")]
    public NodeHealth? NodeHealth { get; init; }
}
