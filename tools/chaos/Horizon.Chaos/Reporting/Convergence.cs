using System.Diagnostics;

namespace Horizon.Chaos.Reporting;

/// <summary>Polls a check until it holds, and says how long that took.</summary>
public static class Convergence
{
    /// <summary>
    /// Calls <paramref name="converged"/> every 250 ms until it returns true; the time that took, or null
    /// when it did not within <paramref name="limit"/>. A check that throws counts as not converged yet.
    /// </summary>
    public static async Task<TimeSpan?> MeasureAsync(Func<CancellationToken, Task<bool>> converged, TimeSpan limit,
        CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(TimeSpan.FromSeconds(10));
            try
            {
                if (await converged(attempt.Token))
                {
                    return clock.Elapsed;
                }
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or Exchange.Client.ExchangeException
                                        or System.Data.Common.DbException or IOException && !cancellationToken.IsCancellationRequested)
            {
                // Not there yet.
            }
            await Task.Delay(250, cancellationToken);
        }
        return null;
    }
}
