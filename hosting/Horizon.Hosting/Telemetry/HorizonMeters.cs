namespace Horizon.Hosting.Telemetry;

/// <summary>
/// The meter of each deployable. Instrument names follow OpenTelemetry's conventions
/// (<c>horizon.agbot.proposals</c>, unit <c>{proposal}</c>); the Prometheus exporter turns them into
/// <c>horizon_agbot_proposals_total</c>. Labels stay bounded: orgs, workloads, states and reason
/// codes, never a node or agreement id.
/// </summary>
public static class HorizonMeters
{
    public const string Exchange = "Horizon.Exchange";
    public const string Agbot = "Horizon.Agbot";
    public const string Switchboard = "Horizon.Switchboard";
    public const string Mailbox = "Horizon.Mailbox";
    public const string NodeAgent = "Horizon.NodeAgent";

    /// <summary>The runtime's own meter (.NET 9+): GC heap, collections, thread pool, working set.</summary>
    public const string Runtime = "System.Runtime";

    /// <summary>Bucket bounds, in seconds, for the latencies Horizon measures: 1 ms to 2 min.</summary>
    public static IReadOnlyList<double> LatencyBuckets { get; } =
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
}
