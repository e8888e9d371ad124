namespace Horizon.Bench.Exchange;

/// <summary>
/// The latency of each page of one pass, in the order the pages were read, and sorted for percentiles; with each
/// page's time to the response headers and to its last byte, and the CPU the exchange and the bench spent on it, so a slow page can be
/// told apart: the exchange working (its CPU), the bench working (its CPU), or nobody (waiting for a core).
/// </summary>
internal sealed class PageLatencies
{
    private readonly List<double> _inOrder = [];
    private readonly List<(double HeadersMs, double LastByteMs, double ExchangeCpuMs, double BenchCpuMs)> _detail = [];
    private double[] _sorted = [];

    public int Count => _inOrder.Count;

    public IReadOnlyList<double> InOrder => _inOrder;

    public IReadOnlyList<double> Sorted => _sorted;

    /// <summary>The exchange's threads that ran on page 0, with their CPU.</summary>
    public string FirstPageThreads { get; set; } = "";

    /// <summary>The exchange's GCs during the pass, when read.</summary>
    public GcCounts? Gcs { get; set; }

    public void Add(double milliseconds, double headersMs, double lastByteMs, double exchangeCpuMs, double benchCpuMs)
    {
        _inOrder.Add(milliseconds);
        _detail.Add((headersMs, lastByteMs, exchangeCpuMs, benchCpuMs));
    }

    public double Max() => _inOrder.Max();

    /// <summary>Called once the pass is over.</summary>
    public void Seal() => _sorted = [.. _inOrder.Order()];

    /// <summary>One page's figures: total (to the page read), to the headers, to the last byte, exchange CPU, bench CPU.</summary>
    public string Describe(int page) =>
        $"page {page} {_inOrder[page]:F1} ms (headers {_detail[page].HeadersMs:F1}, last byte {_detail[page].LastByteMs:F1}, " +
        $"exchange CPU {_detail[page].ExchangeCpuMs:F1}, bench CPU {_detail[page].BenchCpuMs:F1})";

    /// <summary>The median of the pages after the first: total, headers, last byte, exchange CPU, bench CPU.</summary>
    public string DescribeRest()
    {
        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length == 0 ? 0 : sorted[sorted.Length / 2];
        }
        var rest = _detail.Skip(1).ToList();
        return $"other pages' median {Median(_inOrder.Skip(1)):F1} ms (headers {Median(rest.Select(d => d.HeadersMs)):F1}, " +
            $"last byte {Median(rest.Select(d => d.LastByteMs)):F1}, " +
            $"exchange CPU {Median(rest.Select(d => d.ExchangeCpuMs)):F1}, bench CPU {Median(rest.Select(d => d.BenchCpuMs)):F1})";
    }
}
