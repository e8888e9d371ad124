namespace Horizon.NodeAgent.Messaging;

/// <summary>Tells the exchange reporter that agreement states changed and the node status is due.</summary>
public sealed class NodeStatusSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Signal()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled; one report covers every change so far.
        }
    }

    private long _heardAtTicks;

    /// <summary>
    /// The node wrote its own exchange record at <paramref name="at"/> (its registration), which the
    /// exchange counts as a heartbeat: the reporter's next heartbeat is due an interval after it.
    /// </summary>
    public void HeardByExchange(DateTimeOffset at) => Interlocked.Exchange(ref _heardAtTicks, at.UtcTicks);

    /// <summary>When the exchange last heard from the node outside the reporter, once; null when not since the last call.</summary>
    public DateTimeOffset? TakeHeardByExchange() =>
        Interlocked.Exchange(ref _heardAtTicks, 0) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public void Dispose() => _signal.Dispose();

    /// <summary>Completes with true on a signal, false when <paramref name="timeout"/> passed first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
