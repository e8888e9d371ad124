namespace Horizon.FleetSim.Fleet;

/// <summary>Nearest-rank percentiles of an ascending array.</summary>
internal static class Percentiles
{
    public static double Of(double[] sorted, double percentile)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Length == 0)
        {
            return double.NaN;
        }
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
