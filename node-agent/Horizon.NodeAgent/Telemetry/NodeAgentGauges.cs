using System.Diagnostics.Metrics;
using Horizon.Hosting.Telemetry;
using Horizon.NodeAgent.State;

namespace Horizon.NodeAgent.Telemetry;

/// <summary>
/// The node's agreements by state, read from the agent's store on each scrape (a node holds a
/// handful). A hosted service only so that the host creates it at start.
/// </summary>
public sealed class NodeAgentGauges : IHostedService
{
    public NodeAgentGauges(AgreementStore agreements, IMeterFactory meters)
    {
        var meter = meters.Create(HorizonMeters.NodeAgent);
        // An observable gauge's callback is synchronous. Microsoft.Data.Sqlite completes its async calls
        // synchronously (SQLite has no asynchronous I/O), so waiting here blocks no longer than a sync read would.
        meter.CreateObservableGauge("horizon.node.agreements", () => Enum.GetValues<AgreementState>()
                .GroupJoin(agreements.ListAsync().GetAwaiter().GetResult(), state => state, a => a.State, (state, matching) =>
                    new Measurement<int>(matching.Count(), new KeyValuePair<string, object?>("state", state.ToString().ToLowerInvariant()))),
            "{agreement}", "The node's agreements by state (starting, running, failed, terminated)");
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
