using System.Globalization;

namespace Horizon.Bench.Mailbox;

/// <summary>Percentiles of a set of latency samples, printed in milliseconds.</summary>
internal sealed class LatencyFigures(string name, List<double> samplesMs)
{
    public double Percentile(double p)
    {
        var sorted = samplesMs.Order().ToList();
        var index = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Count - 1)];
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{name,-34} n={samplesMs.Count,5}  p50={Percentile(50),7:0.000} ms  p90={Percentile(90),7:0.000} ms  p99={Percentile(99),7:0.000} ms");
}
