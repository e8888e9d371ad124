using System.Text.Json.Serialization;

namespace Horizon.Agbot.Storage;

[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(IReadOnlyList<UnansweredUpdate>))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;
