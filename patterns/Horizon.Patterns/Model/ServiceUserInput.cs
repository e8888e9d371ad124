using System.Text.Json.Serialization;

namespace Horizon.Patterns.Model;

/// <summary>
/// User input values for one service, in the exchange's format: an element of <c>userInput[]</c> on
/// patterns, deployment policies and nodes.
/// </summary>
public sealed record ServiceUserInput
{
    [JsonPropertyName("serviceOrgid")]
    public string ServiceOrgid { get; init => field = value ?? ""; } = "";

    [JsonPropertyName("serviceUrl")]
    public string ServiceUrl { get; init => field = value ?? ""; } = "";

    [JsonPropertyName("serviceArch")]
    public string? ServiceArch { get; init; }

    /// <summary>The versions these values apply to; empty means all.</summary>
    [JsonPropertyName("serviceVersionRange")]
    public string? ServiceVersionRange { get; init; }

    [JsonPropertyName("inputs")]
    public IReadOnlyList<UserInputValue> Inputs { get; init => field = value ?? []; } = [];
}
