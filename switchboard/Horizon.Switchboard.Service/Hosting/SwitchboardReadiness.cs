using Horizon.Hosting.Health;
using Horizon.Switchboard.Service.Access;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NATS.Client.Core;

namespace Horizon.Switchboard.Service.Hosting;

/// <summary>What <c>/readyz</c> waits for on the switchboard: both NATS connections, and the stream and revocations in place.</summary>
public static class SwitchboardReadiness
{
    public static IHealthChecksBuilder AddSwitchboardReadiness(this IHealthChecksBuilder checks) => checks
        .AddReadinessProbe("nats", (sp, _) =>
        {
            var connections = sp.GetRequiredService<SwitchboardConnections>();
            var open = connections.Account.ConnectionState == NatsConnectionState.Open && connections.System.ConnectionState == NatsConnectionState.Open;
            return Task.FromResult(open ? HealthCheckResult.Healthy("connected") : HealthCheckResult.Unhealthy("not connected"));
        })
        .AddReadinessProbe("access", (sp, _) => Task.FromResult(sp.GetRequiredService<AccessWorker>().Ready
            ? HealthCheckResult.Healthy("mailbox stream and revocations in place")
            : HealthCheckResult.Unhealthy("still setting up the stream and revocations")));
}
