namespace Horizon.Bench.Exchange;

/// <summary>The latency of each page of one pass, in the order the pages were read, and sorted for percentiles.</summary>
internal sealed class PageLatencies
{
    private readonly List<double> _inOrder = [];
    private double[] _sorted = [];

    public int Count => _inOrder.Count;

    public IReadOnlyList<double> InOrder => _inOrder;

    public IReadOnlyList<double> Sorted => _sorted;

    public void Add(double milliseconds) => _inOrder.Add(milliseconds);

    public double Max() => _inOrder.Max();

    /// <summary>Called once the pass is over.</summary>
    public void Seal() => _sorted = [.. _inOrder.Order()];
}
