using System.Globalization;

namespace Horizon.Bench.Exchange;

/// <summary>
/// The exchange's garbage collections so far, by generation, and their pause time, read from its <c>/metrics</c>
/// (the runtime's own meter, exported by every deployable).
/// </summary>
internal sealed record GcCounts(long Gen0, long Gen1, long Gen2, double PauseMs)
{
    public static async Task<GcCounts> ReadAsync(HttpClient http, Uri exchange)
    {
        var text = await http.GetStringAsync(new Uri(exchange, "/metrics"));
        long gen0 = 0, gen1 = 0, gen2 = 0;
        double pause = 0;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("dotnet_gc_collections_total{", StringComparison.Ordinal))
            {
                var count = (long)Value(line);
                if (line.Contains("\"gen0\"", StringComparison.Ordinal))
                {
                    gen0 = count;
                }
                else if (line.Contains("\"gen1\"", StringComparison.Ordinal))
                {
                    gen1 = count;
                }
                else if (line.Contains("\"gen2\"", StringComparison.Ordinal))
                {
                    gen2 = count;
                }
            }
            else if (line.StartsWith("dotnet_gc_pause_time_seconds_total", StringComparison.Ordinal))
            {
                pause = Value(line) * 1000;
            }
        }
        return new GcCounts(gen0, gen1, gen2, pause);
    }

    public static GcCounts operator -(GcCounts after, GcCounts before) =>
        new(after.Gen0 - before.Gen0, after.Gen1 - before.Gen1, after.Gen2 - before.Gen2, after.PauseMs - before.PauseMs);

    public override string ToString() => $"GCs gen0 {Gen0}, gen1 {Gen1}, gen2 {Gen2}, paused {PauseMs:F1} ms";

    // "name{labels} value [timestamp]"
    private static double Value(string line)
    {
        var end = line.LastIndexOf('}');
        var parts = line[(end >= 0 ? end + 1 : line.IndexOf(' ', StringComparison.Ordinal))..].Trim().Split(' ');
        return double.Parse(parts[0], CultureInfo.InvariantCulture);
    }
}
