using System.Text.Json.Serialization;

namespace Horizon.Patterns.Deployment;

/// <summary>A published port as Open Horizon writes it: <c>{"HostPort": "8080:80/tcp", "HostIP": "127.0.0.1"}</c>.</summary>
public sealed record PortMapping
{
    /// <summary><c>host:container[/proto]</c>, or <c>container[/proto]</c> to publish on the same port.</summary>
    [JsonPropertyName("HostPort")]
    public string HostPort { get; init => field = value ?? ""; } = "";

    [JsonPropertyName("HostIP")]
    public string? HostIP { get; init; }
}
