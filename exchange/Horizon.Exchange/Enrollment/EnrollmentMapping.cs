using System.Text.Json;
using Horizon.Exchange.Client;
using Horizon.Exchange.Storage;

namespace Horizon.Exchange.Enrollment;

/// <summary>Converts between enrollment requests and their attachment rows.</summary>
internal static class EnrollmentMapping
{
    public static EnrollmentRequest ToWire(AttachmentRecord row) =>
        JsonSerializer.Deserialize(row.Document, ExchangeJsonContext.Default.EnrollmentRequest)! with { Id = row.Key, Orgid = row.Org, State = row.Parent };

    public static AttachmentRecord ToRow(EnrollmentRequest request, string now) => new()
    {
        Kind = EnrollmentStates.Kind,
        Org = request.Orgid!,
        Parent = request.State!,
        Key = request.Id!,
        Document = JsonSerializer.Serialize(request, ExchangeJsonContext.Default.EnrollmentRequest),
        LastUpdated = now,
    };

    public static EnrollmentResult ToResult(EnrollmentRequest request, string caPem) => new()
    {
        Id = request.Id,
        State = request.State,
        Node = request.Node,
        Certificate = request.Certificate,
        CaCertificate = caPem,
        Reason = request.Reason,
    };

    public static AttachmentRecord Audit(string org, string requestId, EnrollmentAuditEntry entry) => new()
    {
        Kind = EnrollmentStates.AuditKind,
        Org = org,
        Parent = requestId,
        Key = $"{entry.At}|{requestId}|{entry.Decision}",
        Document = JsonSerializer.Serialize(entry, ExchangeJsonContext.Default.EnrollmentAuditEntry),
        LastUpdated = entry.At!,
    };

    public static EnrollmentAuditEntry AuditToWire(AttachmentRecord row) =>
        JsonSerializer.Deserialize(row.Document, ExchangeJsonContext.Default.EnrollmentAuditEntry)!;
}
