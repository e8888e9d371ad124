using System.Text.Json.Serialization;

namespace Horizon.Docker;

/// <summary>The answer of <c>GET /version</c> (<c>docker version</c>, server part).</summary>
public sealed record SystemVersion
{
    /// <summary>Engine release, e.g. <c>20.10.24</c>.</summary>
    public string Version { get; init; } = "";

    /// <summary>Highest API version the engine speaks, e.g. <c>1.41</c>.</summary>
    public string ApiVersion { get; init; } = "";

    /// <summary>Lowest API version the engine still accepts.</summary>
    [JsonPropertyName("MinAPIVersion")]
    public string MinimumApiVersion { get; init; } = "";

    public string Os { get; init; } = "";

    /// <summary>Go architecture name (<c>amd64</c>, <c>arm64</c>, <c>arm</c>).</summary>
    public string Arch { get; init; } = "";

    public string KernelVersion { get; init; } = "";

    public string GitCommit { get; init; } = "";
}
