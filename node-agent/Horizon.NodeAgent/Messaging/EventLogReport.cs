using System.Globalization;
using System.Text.Json;
using Horizon.Agreements;
using Horizon.Exchange.Client;
using Horizon.NodeAgent.State;

namespace Horizon.NodeAgent.Messaging;

/// <summary>
/// The tail of the node's event log in the shape the exchange keeps as the node's errors document
/// (<c>/orgs/{org}/nodes/{id}/errors</c>, Open Horizon's "surfaced errors"): what the console's
/// node page shows as the event log as reported, cancel reasons included.
/// </summary>
public static class EventLogReport
{
    /// <summary>How many of the latest events are reported; enough to explain the last failures.</summary>
    public const int Size = 50;

    /// <summary>The sequence of the newest entry, or 0; a report is written only when it moves.</summary>
    public static long LastSequence(IReadOnlyList<EventLogEntry> entries) => entries.Count == 0 ? 0 : entries[^1].Sequence;

    public static NodeErrors Build(IReadOnlyList<EventLogEntry> entries, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var errors = new List<JsonElement>(entries.Count);
        foreach (var entry in entries)
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("record_id", entry.Sequence.ToString(CultureInfo.InvariantCulture));
                json.WriteString("time", entry.Time.ToString("O", CultureInfo.InvariantCulture));
                json.WriteString("kind", entry.Kind);
                if (entry.AgreementId is { } agreement)
                {
                    json.WriteString("agreementId", agreement);
                }
                if (entry.Reason is { } reason)
                {
                    json.WriteNumber("reason", reason);
                    json.WriteString("reasonText", CancelReasons.Describe(reason));
                }
                json.WriteString("message", entry.Message);
                json.WriteEndObject();
            }
            using var document = JsonDocument.Parse(buffer.ToArray());
            errors.Add(document.RootElement.Clone());
        }
        return new NodeErrors { Errors = errors, LastUpdated = now.ToString("O", CultureInfo.InvariantCulture) };
    }
}
