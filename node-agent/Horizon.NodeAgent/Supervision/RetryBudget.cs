namespace Horizon.NodeAgent.Supervision;

/// <summary>
/// How many restarts a container may have within a sliding window: Open Horizon's
/// <c>retries</c> within <c>retry_durations</c>. Pure; the caller passes the time.
/// </summary>
public sealed class RetryBudget
{
    private readonly Queue<DateTimeOffset> _restarts = new();

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="retries"/> is negative or <paramref name="window"/> is not positive.</exception>
    public RetryBudget(int retries, TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(retries);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        Retries = retries;
        Window = window;
    }

    public int Retries { get; }

    public TimeSpan Window { get; }

    /// <summary>Takes one restart if the window has room.</summary>
    /// <param name="attempt">The restart's number within the window, from 1; what backoff grows with.</param>
    /// <returns>False when <see cref="Retries"/> restarts already happened within <see cref="Window"/>.</returns>
    public bool TryConsume(DateTimeOffset now, out int attempt)
    {
        while (_restarts.Count > 0 && now - _restarts.Peek() >= Window)
        {
            _restarts.Dequeue();
        }
        if (_restarts.Count >= Retries)
        {
            attempt = _restarts.Count;
            return false;
        }
        _restarts.Enqueue(now);
        attempt = _restarts.Count;
        return true;
    }
}
