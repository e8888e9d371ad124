namespace Horizon.NodeAgent.Supervision;

/// <summary>How crashed containers are restarted. Immutable; adjust with <c>with { … }</c>.</summary>
public sealed record SupervisionOptions
{
    public static SupervisionOptions Default { get; } = new();

    /// <summary>Restarts allowed within <see cref="DefaultRetryWindow"/> when the agreement says 0.</summary>
    public int DefaultRetries { get; init; } = 3;

    /// <summary>The window restarts are counted in when the agreement says 0.</summary>
    public TimeSpan DefaultRetryWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Wait before the first restart; doubles with each restart in the window.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait before a restart.</summary>
    public TimeSpan MaximumBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The wait before restart number <paramref name="attempt"/> (from 1).</summary>
    public TimeSpan BackoffFor(int attempt) =>
        TimeSpan.FromTicks(Math.Min(MaximumBackoff.Ticks, InitialBackoff.Ticks * (1L << Math.Clamp(attempt - 1, 0, 20))));
}
