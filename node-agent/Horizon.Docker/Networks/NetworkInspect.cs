using System.Text.Json.Serialization;

namespace Horizon.Docker;

/// <summary>
/// The answer of <c>GET /networks/{id}</c> (<c>docker network inspect</c>) and one row of
/// <c>GET /networks</c>, where <see cref="Containers"/> is empty.
/// </summary>
public sealed record NetworkInspect
{
    public string Name { get; init; } = "";

    public string Id { get; init; } = "";

    public string Driver { get; init; } = "";

    public string Scope { get; init; } = "";

    public bool Internal { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public IReadOnlyDictionary<string, string>? Options { get; init; }

    /// <summary>Attached containers by container id.</summary>
    public IReadOnlyDictionary<string, NetworkContainer>? Containers { get; init; }
}

/// <summary>A container's endpoint as the network sees it.</summary>
public sealed record NetworkContainer
{
    public string Name { get; init; } = "";

    [JsonPropertyName("EndpointID")]
    public string EndpointId { get; init; } = "";

    public string IPv4Address { get; init; } = "";
}
