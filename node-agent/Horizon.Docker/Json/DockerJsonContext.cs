using System.Text.Json.Serialization;

namespace Horizon.Docker;

/// <summary>
/// Source-generated serialization for every wire type. The engine reads JSON field names
/// case-insensitively and writes most of them in PascalCase, so property names are kept as
/// they are and reading ignores case.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(SystemVersion))]
[JsonSerializable(typeof(SystemInfo))]
[JsonSerializable(typeof(RegistryCredentials))]
[JsonSerializable(typeof(ImagePullProgress))]
[JsonSerializable(typeof(ImageInspect))]
[JsonSerializable(typeof(ContainerCreateBody))]
[JsonSerializable(typeof(ContainerCreateResponse))]
[JsonSerializable(typeof(ContainerInspect))]
[JsonSerializable(typeof(IReadOnlyList<ContainerSummary>))]
[JsonSerializable(typeof(ContainerWaitResponse))]
[JsonSerializable(typeof(NetworkCreateBody))]
[JsonSerializable(typeof(NetworkCreateResponse))]
[JsonSerializable(typeof(NetworkConnectBody))]
[JsonSerializable(typeof(NetworkDisconnectBody))]
[JsonSerializable(typeof(NetworkInspect))]
[JsonSerializable(typeof(IReadOnlyList<NetworkInspect>))]
[JsonSerializable(typeof(EngineEvent))]
[JsonSerializable(typeof(Dictionary<string, IReadOnlyList<string>>))]
internal sealed partial class DockerJsonContext : JsonSerializerContext;
