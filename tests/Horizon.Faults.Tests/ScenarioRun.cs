using Horizon.Chaos.Reporting;
using Horizon.Chaos.Scenarios;
using Xunit;
using Xunit.Abstractions;

namespace Horizon.Faults.Tests;

/// <summary>Runs one harness scenario and fails with the harness's whole printout when a promise broke.</summary>
internal static class ScenarioRun
{
    public static async Task<ChaosReport> RunAsync(IScenario scenario, ITestOutputHelper output)
    {
        using var text = new StringWriter();
        var report = new ChaosReport(TextWriter.Synchronized(text));
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await scenario.RunAsync(report, limit.Token);
        report.PrintSummary();
        output.WriteLine(text.ToString());
        Assert.True(report.Passed, text.ToString());
        Assert.NotEmpty(report.Outcomes);
        return report;
    }
}
