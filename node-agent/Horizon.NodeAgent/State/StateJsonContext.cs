using System.Text.Json.Serialization;
using Horizon.Agreements;

namespace Horizon.NodeAgent.State;

[JsonSerializable(typeof(AgreementTerms))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class StateJsonContext : JsonSerializerContext;
