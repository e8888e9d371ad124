using System.Diagnostics.Metrics;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Envelopes;
using Horizon.Switchboard.Mailboxes;

namespace Horizon.Switchboard.Telemetry;

/// <summary>
/// What the mailboxes of this process did, labelled by the kind of party (<c>node</c>, <c>agbot</c>),
/// never by party id. Static instruments: a mailbox exists per party and the fleet simulator runs
/// thousands in one process; they all add to the same counters, which only a host that exports
/// meter <c>Horizon.Mailbox</c> collects.
/// </summary>
public static class MailboxMetrics
{
    public const string MeterName = "Horizon.Mailbox";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Sent = Meter.CreateCounter<long>("horizon.mailbox.sent", "{message}",
        "Sealed envelopes stored in a recipient's inbox (duplicate=true: the stream already held that envelope id)");
    private static readonly Counter<long> Delivered = Meter.CreateCounter<long>("horizon.mailbox.delivered", "{message}",
        "Messages taken from an inbox and handled, by whether it took more than one attempt");
    private static readonly Counter<long> Retried = Meter.CreateCounter<long>("horizon.mailbox.retried", "{message}",
        "Messages whose handler failed and that are handed to it again after a backoff");
    private static readonly Counter<long> Refused = Meter.CreateCounter<long>("horizon.mailbox.refused", "{message}",
        "Envelopes refused before any handler saw them, by reason (forged, tampered, expired, replayed…)");
    private static readonly Counter<long> CatchUps = Meter.CreateCounter<long>("horizon.mailbox.catchups", "{check}",
        "Inbox checks against the stream (after a reconnect, a gap in the live sequence, or when idle), by whether stored messages "
        + "had to be read (read=true) or the check of the inbox's last message showed nothing missing (read=false)");
    private static readonly Counter<long> Poisoned = Meter.CreateCounter<long>("horizon.mailbox.poisoned", "{message}",
        "Messages whose handler failed on every allowed attempt; recorded in the poison log and skipped");

    public static void RecordSent(PartyAddress recipient, bool duplicate) =>
        Sent.Add(1, new("party", Kind(recipient)), new("duplicate", duplicate ? "true" : "false"));

    /// <summary>Counts one finished catch-up of <paramref name="self"/>'s inbox; <paramref name="read"/>: it read stored messages.</summary>
    public static void RecordCatchUp(PartyAddress self, bool read) =>
        CatchUps.Add(1, new("party", Kind(self)), new("read", read ? "true" : "false"));

    public static void RecordRefused(EnvelopeRejection reason) => Refused.Add(1, new KeyValuePair<string, object?>("reason", ReasonName(reason)));

    /// <summary>Counts one step of a receive loop of <paramref name="self"/>'s inbox.</summary>
    public static void RecordDelivery(PartyAddress self, MailboxDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var party = new KeyValuePair<string, object?>("party", Kind(self));
        switch (delivery.Outcome)
        {
            case DeliveryOutcome.Handled:
                Delivered.Add(1, party, new("redelivered", delivery.Attempt > 1 ? "true" : "false"));
                break;
            case DeliveryOutcome.WillRetry:
                Retried.Add(1, party);
                break;
            case DeliveryOutcome.Poisoned:
                Poisoned.Add(1, party);
                break;
            case DeliveryOutcome.Refused:
            case DeliveryOutcome.Replayed:
                // Counted by reason where the envelope was opened (RecordRefused).
                break;
        }
    }

    private static string Kind(PartyAddress party) => party.Kind == PartyKind.Node ? "node" : "agbot";

    private static string ReasonName(EnvelopeRejection reason) => reason.ToString().ToLowerInvariant();
}
