using Horizon.Chaos.Reporting;

namespace Horizon.Chaos;

/// <summary>Runs the chosen scenarios one after the other; a scenario that throws is a violation, and the next one still runs.</summary>
public static class ChaosRunner
{
    public static async Task RunAsync(ChaosOptions options, ChaosReport report, CancellationToken cancellationToken)
    {
        for (var round = 1; round <= options.Repeat; round++)
        {
            foreach (var scenario in options.CreateScenarios())
            {
                report.Note(scenario.Name, options.Repeat > 1 ? $"round {round}/{options.Repeat}: starting" : "starting");
                try
                {
                    await scenario.RunAsync(report, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    report.Violation(scenario.Name, $"the scenario failed: {e.GetType().Name}: {e.Message}");
                }
            }
        }
    }
}
