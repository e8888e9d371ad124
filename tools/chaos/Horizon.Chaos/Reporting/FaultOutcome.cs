namespace Horizon.Chaos.Reporting;

/// <summary>
/// What one injected fault did: how long the system took to converge after the fault ended (null
/// when it did not within the limit) and every broken promise found then.
/// </summary>
public sealed record FaultOutcome(string Scenario, string Kind, string Description, TimeSpan FaultDuration, TimeSpan? Converged,
    IReadOnlyList<string> Violations)
{
    public bool Passed => Converged is not null && Violations.Count == 0;
}
