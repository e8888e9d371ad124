using System.Text.Json.Serialization;

namespace Horizon.Patterns.Model;

/// <summary>Where a service's images live and which registry credential the node should use to pull them.</summary>
public sealed record ImageStore
{
    /// <summary><c>dockerRegistry</c> (Open Horizon's only store type that carries over).</summary>
    [JsonPropertyName("storeType")]
    public string? StoreType { get; init; }

    /// <summary>The registry host, e.g. <c>127.0.0.1:5000</c>.</summary>
    [JsonPropertyName("url")]
    public string? Url { get; init; }

    /// <summary>The name of a registry credential held by the exchange (never the secret itself).</summary>
    [JsonPropertyName("auth")]
    public string? Auth { get; init; }
}
