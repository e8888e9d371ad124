using System.Diagnostics.Metrics;
using System.Globalization;
using Horizon.Hosting.Telemetry;

namespace Horizon.Agbot.Telemetry;

/// <summary>
/// What the agbot's negotiations did, as counters and a latency histogram (meter <c>Horizon.Agbot</c>).
/// Labels are workloads (<c>org/service-url</c>), decisions and reason codes; never a node or
/// agreement id. The state of the whole store (agreements by state, rollouts, backlog) is observed
/// by <see cref="AgbotCensus"/>.
/// </summary>
public static class AgbotMetrics
{
    private static readonly Meter Meter = new(HorizonMeters.Agbot);
    private static readonly Counter<long> Proposals = Meter.CreateCounter<long>("horizon.agbot.proposals", "{proposal}",
        "Proposals recorded and sent to nodes, by workload");
    private static readonly Counter<long> Replies = Meter.CreateCounter<long>("horizon.agbot.replies", "{reply}",
        "Replies from nodes to proposals, by decision (accepted, declined)");
    private static readonly Counter<long> Cancels = Meter.CreateCounter<long>("horizon.agbot.cancels", "{cancel}",
        "Agreements ended, by who ended them (agbot, node) and Open Horizon reason code");
    private static readonly Histogram<double> NegotiationLatency = Meter.CreateHistogram("horizon.agbot.negotiation.duration", "s",
        "From the proposal to the agreement in force (reply ack sent)", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = HorizonMeters.LatencyBuckets });
    private static readonly Counter<long> RolloutBatches = Meter.CreateCounter<long>("horizon.agbot.rollout.batches", "{batch}",
        "Rollout batches that ended, by workload and outcome (passed: at or above the success threshold; failed: rolled back, rollout stopped)");

    public static void RecordProposal(string workload) => Proposals.Add(1, new KeyValuePair<string, object?>("workload", workload));

    public static void RecordReply(bool accepted) => Replies.Add(1, new KeyValuePair<string, object?>("decision", accepted ? "accepted" : "declined"));

    /// <param name="byNode">The node ended it (1xx reasons); otherwise the agbot did (2xx).</param>
    public static void RecordCancel(bool byNode, int reason) =>
        Cancels.Add(1, new("by", byNode ? "node" : "agbot"), new("reason", reason.ToString(CultureInfo.InvariantCulture)));

    public static void RecordFinalized(TimeSpan sinceProposal) => NegotiationLatency.Record(Math.Max(0, sinceProposal.TotalSeconds));

    public static void RecordBatchEnded(string workload, bool passed) =>
        RolloutBatches.Add(1, new("workload", workload), new("outcome", passed ? "passed" : "failed"));
}
