using System.Text.Json.Serialization;

namespace Horizon.Patterns.Model;

/// <summary>A dependency of a service: <c>requiredServices[]</c> in Open Horizon's service definition.</summary>
public sealed record RequiredService
{
    [JsonPropertyName("org")]
    public string Org { get; init => field = value ?? ""; } = "";

    [JsonPropertyName("url")]
    public string Url { get; init => field = value ?? ""; } = "";

    /// <summary>Open Horizon's deprecated single version; read as the range "at least this version" when <see cref="VersionRange"/> is empty.</summary>
    [JsonPropertyName("version")]
    public string? Version { get; init; }

    /// <summary>An Open Horizon version range: <c>[1.0.0,2.0.0)</c>, or <c>1.2.0</c> meaning at least 1.2.0.</summary>
    [JsonPropertyName("versionRange")]
    public string? VersionRange { get; init; }

    [JsonPropertyName("arch")]
    public string? Arch { get; init; }

    /// <summary>The range to resolve with: <see cref="VersionRange"/>, else <see cref="Version"/>, else any version.</summary>
    [JsonIgnore]
    public string EffectiveVersionRange =>
        !string.IsNullOrWhiteSpace(VersionRange) ? VersionRange : !string.IsNullOrWhiteSpace(Version) ? Version : "0.0.0";
}
