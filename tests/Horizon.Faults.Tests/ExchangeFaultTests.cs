using Horizon.Chaos.Scenarios;
using Xunit;
using Xunit.Abstractions;

namespace Horizon.Faults.Tests;

/// <summary>The harness's exchange scenarios, small: real exchange processes, SQLite, PostgreSQL, tmpfs.</summary>
public sealed class ExchangeFaultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ExchangeKilledDuringWrites_LosesNoAcknowledgedWrite_AndItsFileStaysIntact()
    {
        var report = await ScenarioRun.RunAsync(new ExchangeKillScenario(writes: 120, kills: 2), output);
        Assert.Equal(0, report.Counters["writes lost"]);
    }

    [Fact]
    public async Task ExchangeDiskFull_RefusesWritesWith507_ServesReads_AndRecoversWhenSpaceReturns()
    {
        // Before the storage failure handler the exchange answered a bare 500 here.
        var report = await ScenarioRun.RunAsync(new ExchangeDiskFullScenario(diskMegabytes: 16), output);
        Assert.Contains(report.Outcomes, o => o.Description.Contains("clear refusal", StringComparison.Ordinal) && !o.Description.StartsWith("0 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TwoExchangesOnOnePostgres_OneKilledPausedOrCutOff_TheRotatingClientNeverSeesAnError()
    {
        var report = await ScenarioRun.RunAsync(new ExchangePairScenario(), output);
        Assert.Equal(3, report.Outcomes.Count);
        Assert.Equal(0, report.Counters["client errors with one exchange healthy"]);
    }
}
