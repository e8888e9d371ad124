using System.Text.Json.Serialization;

namespace Horizon.Agbot.Storage;

[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;
