using System.Text.Json;
using System.Text.Json.Serialization;
using Horizon.NodeAgent.Registration;
using Horizon.NodeAgent.State;

namespace Horizon.NodeAgent.Api;

[JsonSerializable(typeof(NodeInfoView))]
[JsonSerializable(typeof(NodeRegistration))]
[JsonSerializable(typeof(RegistrationView))]
[JsonSerializable(typeof(AgreementView))]
[JsonSerializable(typeof(IReadOnlyList<AgreementView>))]
[JsonSerializable(typeof(IReadOnlyList<ServiceView>))]
[JsonSerializable(typeof(IReadOnlyList<EventLogEntry>))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
public sealed partial class ApiJsonContext : JsonSerializerContext;
