namespace Horizon.Agbot.Upgrades;

/// <summary>
/// Tells the <see cref="UpgradeCoordinator"/> that an update outcome was written, so the next batch
/// starts as soon as the current one is complete instead of on the next periodic pass. Wake-ups
/// that arrive while a pass runs fold into one more pass.
/// </summary>
public sealed class RolloutSignal : IDisposable
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // A pass is already due.
        }
    }

    /// <summary>Waits for a wake-up (true) or <paramref name="period"/> (false), whichever comes first.</summary>
    public Task<bool> WaitAsync(TimeSpan period, CancellationToken cancellationToken) => _wake.WaitAsync(period, cancellationToken);

    public void Dispose() => _wake.Dispose();
}
