using System.Text.Json.Serialization;

namespace Horizon.Exchange.Client;

/// <summary>
/// The wire types a node agent sends and reads (its node record and attachments, agbots' public keys,
/// enrollment, problem details), with <see cref="ExchangeJsonContext"/>'s options. A source-generated
/// context's <c>GetTypeInfo(Type)</c> names every type it holds, so a NativeAOT program that touches a
/// context compiles the JSON code of all of its types: the node agent touches only this one and leaves
/// the other 40-odd exchange types out of its executable (docs/benchmarks.md §9d).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ExchangeNode))]
[JsonSerializable(typeof(IReadOnlyList<ExchangeNode>))]
[JsonSerializable(typeof(NodePatch))]
[JsonSerializable(typeof(NodeStatus))]
[JsonSerializable(typeof(NodeErrors))]
[JsonSerializable(typeof(NodeAgreement))]
[JsonSerializable(typeof(IReadOnlyList<NodeAgreement>))]
[JsonSerializable(typeof(ExchangeAgbot))]
[JsonSerializable(typeof(EnrollmentSubmission))]
[JsonSerializable(typeof(EnrollmentResult))]
[JsonSerializable(typeof(CertificateRenewal))]
[JsonSerializable(typeof(IssuedCertificate))]
[JsonSerializable(typeof(ProblemDocument))]
public sealed partial class PartyJsonContext : JsonSerializerContext;
