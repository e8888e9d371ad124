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

    public void Dispose() => _signal.Dispose();

    /// <summary>Completes with true on a signal, false when <paramref name="timeout"/> passed first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
