using System.Text.Json.Serialization;

namespace Horizon.Agbot;

/// <summary>Source-generated JSON for the agbot's own wire types and conversions.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(IReadOnlyList<Horizon.Agreements.ServiceUserInput>))]
[JsonSerializable(typeof(IReadOnlyList<Horizon.Exchange.Client.NodeUserInput>))]
[JsonSerializable(typeof(Api.AgreementView))]
[JsonSerializable(typeof(IReadOnlyList<Api.AgreementView>))]
[JsonSerializable(typeof(Api.ServedView))]
[JsonSerializable(typeof(Api.DeployCheckView))]
internal sealed partial class AgbotJsonContext : JsonSerializerContext;
