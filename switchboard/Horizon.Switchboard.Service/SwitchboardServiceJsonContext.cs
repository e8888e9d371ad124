using System.Text.Json.Serialization;

namespace Horizon.Switchboard.Service;

/// <summary>
/// JSON metadata for what the service's own routes write. With PublishAot the serializer has no
/// reflection fallback, so a type missing here fails its route with a 500 at run time.
/// </summary>
[JsonSerializable(typeof(SwitchboardStatus))]
internal sealed partial class SwitchboardServiceJsonContext : JsonSerializerContext;
