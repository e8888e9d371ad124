using System.Text.Json.Serialization;

namespace Horizon.Patterns.Model;

/// <summary>An agreement protocol a pattern accepts; Horizon speaks <c>Basic</c>.</summary>
public sealed record AgreementProtocol
{
    [JsonPropertyName("name")]
    public string Name { get; init => field = value ?? ""; } = "";

    [JsonPropertyName("protocolVersion")]
    public int? ProtocolVersion { get; init; }
}
