using System.Diagnostics.Metrics;
using Horizon.Switchboard.Addressing;

namespace Horizon.Switchboard.Telemetry;

/// <summary>The switchboard's own work: NATS credentials issued to proven parties and revoked from departed ones.</summary>
public static class SwitchboardMetrics
{
    public const string MeterName = "Horizon.Switchboard";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Issued = Meter.CreateCounter<long>("horizon.switchboard.credentials.issued", "{credential}",
        "NATS credentials issued, by party kind");
    private static readonly Counter<long> Refused = Meter.CreateCounter<long>("horizon.switchboard.credentials.refused", "{request}",
        "Credential requests refused because the party could not prove its identity, by party kind");
    private static readonly Counter<long> Revoked = Meter.CreateCounter<long>("horizon.switchboard.credentials.revoked", "{credential}",
        "NATS credentials revoked because their party left the exchange, by party kind");

    public static void RecordIssued(PartyKind kind) => Issued.Add(1, new KeyValuePair<string, object?>("party", Name(kind)));

    public static void RecordRefused(PartyKind kind) => Refused.Add(1, new KeyValuePair<string, object?>("party", Name(kind)));

    public static void RecordRevoked(PartyKind kind) => Revoked.Add(1, new KeyValuePair<string, object?>("party", Name(kind)));

    private static string Name(PartyKind kind) => kind == PartyKind.Node ? "node" : "agbot";
}
