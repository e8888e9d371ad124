using System.Diagnostics.Metrics;
using Horizon.Hosting.Telemetry;

namespace Horizon.NodeAgent.Telemetry;

/// <summary>
/// What the node agent did to its workloads (meter <c>Horizon.NodeAgent</c>). Static: the fleet
/// simulator runs thousands of agents in one process; only a host exporting the meter collects them.
/// Labels name services (<c>org/url</c>) and outcomes, never agreement ids.
/// </summary>
public static class NodeAgentMetrics
{
    private static readonly Meter Meter = new(HorizonMeters.NodeAgent);
    private static readonly Counter<long> Restarts = Meter.CreateCounter<long>("horizon.node.container.restarts", "{restart}",
        "Workload containers restarted after they died");
    private static readonly Histogram<double> PullTime = Meter.CreateHistogram("horizon.node.image.pull.duration", "s",
        "Time to pull one workload image and check its digest, by outcome",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = HorizonMeters.LatencyBuckets });
    private static readonly Counter<long> DriftRepaired = Meter.CreateCounter<long>("horizon.node.reconcile.repaired", "{repair}",
        "Differences between the desired and the actual workloads that the reconcile loop repaired, by what drifted (container, network)");

    public static void RecordRestart() => Restarts.Add(1);

    /// <param name="outcome"><c>pulled</c>, <c>refused</c> (registry credentials), <c>failed</c> or <c>digest-mismatch</c>.</param>
    public static void RecordPull(TimeSpan elapsed, string outcome) =>
        PullTime.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));

    /// <param name="what">What drifted and was put back: <c>container</c>, <c>network</c>, <c>image</c>.</param>
    public static void RecordDriftRepaired(string what) => DriftRepaired.Add(1, new KeyValuePair<string, object?>("kind", what));
}
