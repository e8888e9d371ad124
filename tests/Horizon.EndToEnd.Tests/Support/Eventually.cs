namespace Horizon.EndToEnd.Tests.Support;

/// <summary>Polls for a state the system reaches asynchronously, with a bounded number of tries.</summary>
public static class Eventually
{
    /// <summary>
    /// Calls <paramref name="probe"/> every <paramref name="interval"/> (default 0.5 s) until it returns a
    /// non-null value or <paramref name="timeout"/> passes; then fails with <paramref name="what"/> and the
    /// site's process output.
    /// </summary>
    public static async Task<T> ReachedAsync<T>(string what, Func<Task<T?>> probe, EdgeSite site, TimeSpan timeout, TimeSpan? interval = null)
        where T : class
    {
        var pause = interval ?? TimeSpan.FromMilliseconds(500);
        var tries = Math.Max(1, (int)(timeout / pause));
        for (var i = 0; i < tries; i++)
        {
            if (await probe() is { } value)
            {
                return value;
            }
            await Task.Delay(pause);
        }
        throw new Xunit.Sdk.XunitException($"not reached within {timeout.TotalSeconds:0} s: {what}\n{site.Diagnostics()}");
    }

    /// <summary>As <see cref="ReachedAsync{T}"/> for a condition.</summary>
    public static Task TrueAsync(string what, Func<Task<bool>> condition, EdgeSite site, TimeSpan timeout, TimeSpan? interval = null) =>
        ReachedAsync(what, async () => await condition() ? "" : null, site, timeout, interval);
}
