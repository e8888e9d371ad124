using System.Text.Json.Serialization;

namespace Horizon.Nats.Internal;

/// <summary>The server's INFO: what it is and what it accepts.</summary>
internal sealed record ServerInfo
{
    [JsonPropertyName("server_id")] public string ServerId { get; init; } = "";
    [JsonPropertyName("server_name")] public string ServerName { get; init; } = "";
    [JsonPropertyName("version")] public string Version { get; init; } = "";
    [JsonPropertyName("proto")] public int Proto { get; init; }
    [JsonPropertyName("headers")] public bool Headers { get; init; }
    [JsonPropertyName("max_payload")] public long MaxPayload { get; init; } = 1024 * 1024;
    [JsonPropertyName("jetstream")] public bool JetStream { get; init; }
    [JsonPropertyName("tls_required")] public bool TlsRequired { get; init; }
    [JsonPropertyName("tls_available")] public bool TlsAvailable { get; init; }
    [JsonPropertyName("tls_verify")] public bool TlsVerify { get; init; }
    [JsonPropertyName("auth_required")] public bool AuthRequired { get; init; }
    [JsonPropertyName("connect_urls")] public IReadOnlyList<string>? ConnectUrls { get; init; }
    [JsonPropertyName("ldm")] public bool LameDuckMode { get; init; }
    [JsonPropertyName("client_id")] public ulong ClientId { get; init; }
}

/// <summary>The CONNECT command's body.</summary>
internal sealed record ConnectRequest
{
    [JsonPropertyName("verbose")] public bool Verbose { get; init; }
    [JsonPropertyName("pedantic")] public bool Pedantic { get; init; }
    [JsonPropertyName("tls_required")] public bool TlsRequired { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("lang")] public string Lang { get; init; } = ".NET";
    [JsonPropertyName("version")] public string Version { get; init; } = "0.1.0";
    [JsonPropertyName("protocol")] public int Protocol { get; init; } = 1;
    [JsonPropertyName("echo")] public bool Echo { get; init; } = true;
    [JsonPropertyName("headers")] public bool Headers { get; init; } = true;
    [JsonPropertyName("no_responders")] public bool NoResponders { get; init; } = true;
    [JsonPropertyName("user")] public string? User { get; init; }
    [JsonPropertyName("pass")] public string? Pass { get; init; }
    [JsonPropertyName("auth_token")] public string? AuthToken { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ServerInfo))]
[JsonSerializable(typeof(ConnectRequest))]
internal sealed partial class CoreJsonContext : JsonSerializerContext;
