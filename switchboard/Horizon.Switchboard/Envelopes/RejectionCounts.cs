using Horizon.Switchboard.Telemetry;

namespace Horizon.Switchboard.Envelopes;

/// <summary>Counts refused envelopes by reason, for status pages and the <c>horizon.mailbox.refused</c> metric.</summary>
public sealed class RejectionCounts
{
    private readonly long[] _counts = new long[Enum.GetValues<EnvelopeRejection>().Length];

    public void Add(EnvelopeRejection reason)
    {
        Interlocked.Increment(ref _counts[(int)reason]);
        MailboxMetrics.RecordRefused(reason);
    }

    public long this[EnvelopeRejection reason] => Interlocked.Read(ref _counts[(int)reason]);

    public long Total => _counts.Sum();
}
