using System.Text.Json.Serialization;
using Horizon.Exchange.Client;

namespace Horizon.Exchange.Hosting;

/// <summary>
/// The runtime types handlers hand to <c>Results.Ok(object)</c>: the stores return <see cref="List{T}"/>,
/// and the response writer looks a value up by its runtime type. The published exchange has no reflection
/// fallback, so each such type needs its metadata here; <see cref="ExchangeJsonContext"/> keeps the
/// interface types the client reads.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<ExchangeOrg>))]
[JsonSerializable(typeof(List<ExchangeUser>))]
[JsonSerializable(typeof(List<ExchangeNode>))]
[JsonSerializable(typeof(List<NodeAgreement>))]
[JsonSerializable(typeof(List<ExchangeAgbot>))]
[JsonSerializable(typeof(List<AgbotPattern>))]
[JsonSerializable(typeof(List<AgbotBusinessPolicy>))]
[JsonSerializable(typeof(List<AgbotGrant>))]
[JsonSerializable(typeof(List<AgbotAgreement>))]
[JsonSerializable(typeof(List<EnrollmentRequest>))]
[JsonSerializable(typeof(List<EnrollmentAuditEntry>))]
[JsonSerializable(typeof(List<EnrollmentCertificateInfo>))]
[JsonSerializable(typeof(List<EnrollmentRule>))]
[JsonSerializable(typeof(List<System.Text.Json.JsonElement>))]
internal sealed partial class ExchangeResponseJsonContext : JsonSerializerContext;
