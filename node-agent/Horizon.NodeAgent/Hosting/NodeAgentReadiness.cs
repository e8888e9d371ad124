using Horizon.Hosting.Health;
using NATS.Client.Core;
using Horizon.NodeAgent.Engine;
using Horizon.NodeAgent.Messaging;
using Horizon.NodeAgent.Registration;
using Horizon.NodeAgent.State;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Horizon.NodeAgent.Hosting;

/// <summary>What <c>/readyz</c> waits for on a node: its state database and room on its disk, the Docker engine, and NATS once registered.</summary>
public static class NodeAgentReadiness
{
    public static IHealthChecksBuilder AddNodeAgentReadiness(this IHealthChecksBuilder checks) => checks
        .AddReadinessProbe("database", async (sp, cancellationToken) =>
        {
            await sp.GetRequiredService<AgentDatabase>().CheckAsync(cancellationToken);
            return HealthCheckResult.Healthy("answers");
        })
        .AddReadinessProbe("state-disk", (sp, _) =>
        {
            // One statvfs: cheap. The path stays out of the answer (/readyz is anonymous); the log names it.
            var free = StateDisk.FreeBytes(sp.GetRequiredService<NodeAgentOptions>().StateDirectory);
            return Task.FromResult(free < StateDisk.FullBelowBytes
                ? HealthCheckResult.Unhealthy($"the state disk is full ({free} bytes free): nothing new is persisted, so messages wait unacknowledged until space is freed")
                : HealthCheckResult.Healthy($"{free / (1024 * 1024)} MiB free"));
        })
        .AddReadinessProbe("docker", async (sp, cancellationToken) =>
        {
            await sp.GetRequiredService<IContainerEngine>().PingAsync(cancellationToken);
            return HealthCheckResult.Healthy("engine answers");
        })
        .AddReadinessProbe("nats", (sp, _) =>
        {
            if (string.IsNullOrWhiteSpace(sp.GetRequiredService<NodeAgentOptions>().NatsUrl))
            {
                return Task.FromResult(HealthCheckResult.Healthy("messaging disabled (NodeAgent:NatsUrl is empty)"));
            }
            if (sp.GetRequiredService<RegistrationStore>().Current is null)
            {
                return Task.FromResult(HealthCheckResult.Healthy("not registered: no mailbox to connect yet"));
            }
            return Task.FromResult(sp.GetRequiredService<NodeMessagingService>().Connection?.ConnectionState == NatsConnectionState.Open
                ? HealthCheckResult.Healthy("connected")
                : HealthCheckResult.Unhealthy("not connected"));
        });
}
