using System.Globalization;

namespace Horizon.Chaos.Reporting;

/// <summary>
/// Collects fault outcomes and scenario-wide checks as they happen, prints each at once, and
/// summarises convergence per fault kind (p50 and max) and the totals that must be zero.
/// </summary>
public sealed class ChaosReport(TextWriter output)
{
    private readonly List<FaultOutcome> _outcomes = [];
    private readonly List<string> _violations = [];
    private readonly Lock _lock = new();

    /// <summary>The limit a fault's convergence must stay under.</summary>
    public static readonly TimeSpan ConvergenceLimit = TimeSpan.FromSeconds(60);

    public IReadOnlyList<FaultOutcome> Outcomes
    {
        get
        {
            lock (_lock)
            {
                return [.. _outcomes];
            }
        }
    }

    /// <summary>Violations found by scenario-wide checks (lost writes, duplicates, corruption) and by each fault.</summary>
    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_lock)
            {
                return [.. _violations, .. _outcomes.SelectMany(o => o.Violations.Select(v => $"{o.Scenario}/{o.Kind}: {v}"))];
            }
        }
    }

    /// <summary>Lost or duplicated items counted by the scenarios, by what they are (e.g. "writes lost").</summary>
    public Dictionary<string, long> Counters { get; } = [];

    public bool Passed => Violations.Count == 0 && Outcomes.All(o => o.Passed);

    public void Add(FaultOutcome outcome)
    {
        lock (_lock)
        {
            _outcomes.Add(outcome);
        }
        var converged = outcome.Converged is { } time ? $"converged in {Seconds(time)}" : $"NOT converged within {Seconds(ConvergenceLimit)}";
        output.WriteLine($"[{outcome.Scenario}] fault {outcome.Kind}: {outcome.Description} (lasted {Seconds(outcome.FaultDuration)}); {converged}");
        foreach (var violation in outcome.Violations)
        {
            output.WriteLine($"[{outcome.Scenario}]   VIOLATION: {violation}");
        }
    }

    public void Violation(string scenario, string text)
    {
        lock (_lock)
        {
            _violations.Add($"{scenario}: {text}");
        }
        output.WriteLine($"[{scenario}] VIOLATION: {text}");
    }

    public void Note(string scenario, string text) => output.WriteLine($"[{scenario}] {text}");

    public void Count(string what, long value)
    {
        lock (_lock)
        {
            Counters[what] = Counters.GetValueOrDefault(what) + value;
        }
    }

    /// <summary>Prints convergence p50/max per fault kind, the counters and the verdict.</summary>
    public void PrintSummary()
    {
        output.WriteLine();
        output.WriteLine("fault kind                         count  converged  p50 s   max s");
        foreach (var group in Outcomes.GroupBy(o => o.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var times = group.Where(o => o.Converged is not null).Select(o => o.Converged!.Value.TotalSeconds).Order().ToList();
            var p50 = times.Count == 0 ? double.NaN : times[(times.Count - 1) / 2];
            var max = times.Count == 0 ? double.NaN : times[^1];
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{group.Key,-34} {group.Count(),5}  {times.Count,9}  {p50,6:0.00}  {max,6:0.00}"));
        }
        foreach (var (what, value) in Counters.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{what}: {value}");
        }
        var violations = Violations;
        output.WriteLine(violations.Count == 0 && Passed
            ? $"PASSED: {Outcomes.Count} faults, every one converged within {Seconds(ConvergenceLimit)}, no violation"
            : $"FAILED: {violations.Count} violation(s), {Outcomes.Count(o => o.Converged is null)} fault(s) not converged");
    }

    private static string Seconds(TimeSpan time) => string.Create(CultureInfo.InvariantCulture, $"{time.TotalSeconds:0.00} s");
}
