using Horizon.Chaos.Reporting;

namespace Horizon.Chaos.Scenarios;

/// <summary>One fault scenario: starts what it needs, injects its faults one at a time, checks, stops everything.</summary>
public interface IScenario
{
    /// <summary>The name <c>--scenario</c> takes.</summary>
    string Name { get; }

    Task RunAsync(ChaosReport report, CancellationToken cancellationToken);
}
