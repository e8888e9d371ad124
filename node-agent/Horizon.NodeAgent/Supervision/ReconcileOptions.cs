namespace Horizon.NodeAgent.Supervision;

/// <summary>How often the agent compares its workloads with the engine. Immutable; adjust with <c>with { … }</c>.</summary>
public sealed record ReconcileOptions
{
    public static ReconcileOptions Default { get; } = new();

    /// <summary>The mean time between two passes (<c>NodeAgent:ReconcileInterval</c>, default 60 s).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Each wait is <see cref="Interval"/> ± this fraction, drawn afresh, so a fleet's agents that
    /// started together do not query their engines (and report drift) in step.
    /// </summary>
    public double Jitter { get; init; } = 0.2;

    /// <summary>The wait before the next pass for a draw <paramref name="unit"/> in [0, 1).</summary>
    public TimeSpan NextDelay(double unit) => Interval * (1 + Jitter * (2 * unit - 1));
}
