using System.Text.Json;
using System.Text.Json.Serialization;

namespace Horizon.Exchange.Client;

/// <summary>
/// Source-generated JSON for every exchange wire type, camelCase as in Open Horizon, nulls left out.
/// The server adds <see cref="JsonUnmappedMemberHandling.Disallow"/> on input; the client tolerates
/// fields it does not know so an older client keeps working against a newer exchange.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ExchangeOrg))]
[JsonSerializable(typeof(IReadOnlyList<ExchangeOrg>))]
[JsonSerializable(typeof(ExchangeUser))]
[JsonSerializable(typeof(IReadOnlyList<ExchangeUser>))]
[JsonSerializable(typeof(ExchangeNode))]
[JsonSerializable(typeof(IReadOnlyList<ExchangeNode>))]
[JsonSerializable(typeof(NodePatch))]
[JsonSerializable(typeof(NodeStatus))]
[JsonSerializable(typeof(NodeErrors))]
[JsonSerializable(typeof(NodeAgreement))]
[JsonSerializable(typeof(IReadOnlyList<NodeAgreement>))]
[JsonSerializable(typeof(ExchangeAgbot))]
[JsonSerializable(typeof(IReadOnlyList<ExchangeAgbot>))]
[JsonSerializable(typeof(AgbotPattern))]
[JsonSerializable(typeof(IReadOnlyList<AgbotPattern>))]
[JsonSerializable(typeof(AgbotBusinessPolicy))]
[JsonSerializable(typeof(IReadOnlyList<AgbotBusinessPolicy>))]
[JsonSerializable(typeof(AgbotGrant))]
[JsonSerializable(typeof(IReadOnlyList<AgbotGrant>))]
[JsonSerializable(typeof(AgbotAgreement))]
[JsonSerializable(typeof(AgbotRollouts))]
[JsonSerializable(typeof(IReadOnlyList<AgbotAgreement>))]
[JsonSerializable(typeof(ChangesRequest))]
[JsonSerializable(typeof(ChangesResponse))]
[JsonSerializable(typeof(PatternSearchRequest))]
[JsonSerializable(typeof(PolicySearchRequest))]
[JsonSerializable(typeof(NodeSearchResponse))]
[JsonSerializable(typeof(NodeHealthRequest))]
[JsonSerializable(typeof(NodeHealthResponse))]
[JsonSerializable(typeof(AdminStatus))]
[JsonSerializable(typeof(OrgStatus))]
[JsonSerializable(typeof(EnrollmentSubmission))]
[JsonSerializable(typeof(EnrollmentRequest))]
[JsonSerializable(typeof(IReadOnlyList<EnrollmentRequest>))]
[JsonSerializable(typeof(EnrollmentResult))]
[JsonSerializable(typeof(EnrollmentApproval))]
[JsonSerializable(typeof(EnrollmentDenial))]
[JsonSerializable(typeof(EnrollmentAuditEntry))]
[JsonSerializable(typeof(IReadOnlyList<EnrollmentAuditEntry>))]
[JsonSerializable(typeof(EnrollmentCertificateOrder))]
[JsonSerializable(typeof(EnrollmentCertificateInfo))]
[JsonSerializable(typeof(IReadOnlyList<EnrollmentCertificateInfo>))]
[JsonSerializable(typeof(EnrollmentRule))]
[JsonSerializable(typeof(IReadOnlyList<EnrollmentRule>))]
[JsonSerializable(typeof(CertificateRenewal))]
[JsonSerializable(typeof(IssuedCertificate))]
[JsonSerializable(typeof(CertificateRevocation))]
[JsonSerializable(typeof(ApiResponse))]
[JsonSerializable(typeof(ProblemDocument))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(IReadOnlyList<JsonElement>))]
public sealed partial class ExchangeJsonContext : JsonSerializerContext;
