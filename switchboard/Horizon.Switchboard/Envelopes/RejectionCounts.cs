using System.Diagnostics.Metrics;

namespace Horizon.Switchboard.Envelopes;

/// <summary>Counts refused envelopes by reason, for status pages and the <c>horizon.envelope.rejected</c> metric.</summary>
public sealed class RejectionCounts
{
    private static readonly Meter Meter = new("Horizon.Switchboard");
    private static readonly Counter<long> Rejected = Meter.CreateCounter<long>("horizon.envelope.rejected");
    private readonly long[] _counts = new long[Enum.GetValues<EnvelopeRejection>().Length];

    public void Add(EnvelopeRejection reason)
    {
        Interlocked.Increment(ref _counts[(int)reason]);
        Rejected.Add(1, new KeyValuePair<string, object?>("reason", reason.ToString()));
    }

    public long this[EnvelopeRejection reason] => Interlocked.Read(ref _counts[(int)reason]);

    public long Total => _counts.Sum();
}
