using System.Globalization;

namespace Horizon.Bench.HelloEdge;

/// <summary>Nearest-rank percentiles of a small sample (20 runs: p90 is the 18th value).</summary>
internal static class Percentiles
{
    public static double Of(IReadOnlyList<double> samples, double percentile)
    {
        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static string Summary(IReadOnlyList<double> milliseconds) => string.Create(CultureInfo.InvariantCulture,
        $"p50 {Of(milliseconds, 50):0} ms, p90 {Of(milliseconds, 90):0} ms, max {milliseconds.Max():0} ms, min {milliseconds.Min():0} ms over {milliseconds.Count} runs");
}
