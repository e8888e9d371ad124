using Horizon.Chaos.Scenarios;
using Xunit;
using Xunit.Abstractions;

namespace Horizon.Faults.Tests;

/// <summary>The harness's node agent scenarios: a real agent, agbot, switchboard, exchange, nats-server, registry and Docker; a tmpfs.</summary>
public sealed class AgentFaultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AgentStateDiskFull_AcknowledgesNothingUnpersisted_SaysSo_AndFormsTheAgreementWhenSpaceReturns()
    {
        var report = await ScenarioRun.RunAsync(new AgentDiskFullScenario(diskMegabytes: 16, fullSeconds: 12), output);
        Assert.Equal(2, report.Outcomes.Count);
    }
}
