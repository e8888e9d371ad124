namespace Horizon.Agbot.Negotiation;

/// <summary>
/// Striped locks keyed by node: messages from one node are handled one after another (each reads
/// the agreement's state and moves it on), while messages from different nodes run in parallel.
/// A fixed number of stripes keeps memory flat however many nodes there are; two nodes sharing a
/// stripe only wait for each other.
/// </summary>
public sealed class NodeLanes : IDisposable
{
    private readonly SemaphoreSlim[] _stripes;

    public NodeLanes(int stripes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stripes, 1);
        _stripes = [.. Enumerable.Range(0, stripes).Select(_ => new SemaphoreSlim(1, 1))];
    }

    /// <summary>Waits for the lane of <paramref name="node"/>; dispose the result to leave it.</summary>
    public async Task<IDisposable> EnterAsync(string node, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        var stripe = _stripes[(int)((uint)StringComparer.Ordinal.GetHashCode(node) % (uint)_stripes.Length)];
        await stripe.WaitAsync(cancellationToken);
        return new Lane(stripe);
    }

    public void Dispose()
    {
        foreach (var stripe in _stripes)
        {
            stripe.Dispose();
        }
    }

    private sealed class Lane(SemaphoreSlim stripe) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                stripe.Release();
            }
        }
    }
}
