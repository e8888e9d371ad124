using Horizon.Agbot.Storage;
using Horizon.Hosting.Health;
using Horizon.Nats;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Horizon.Agbot.Hosting;

/// <summary>What <c>/readyz</c> waits for on an agbot: its NATS connection and its agreement store.</summary>
public static class AgbotReadiness
{
    public static IHealthChecksBuilder AddAgbotReadiness(this IHealthChecksBuilder checks) => checks
        .AddReadinessProbe("nats", (sp, _) => Task.FromResult(sp.GetRequiredService<NatsConnection>().State == NatsConnectionState.Open
            ? HealthCheckResult.Healthy("connected")
            : HealthCheckResult.Unhealthy("not connected")))
        .AddReadinessProbe("database", async (sp, cancellationToken) =>
        {
            // A primary-key read: proves the store answers without scanning anything.
            await sp.GetRequiredService<IAgreementStore>().GetCursorAsync("readiness", cancellationToken);
            return HealthCheckResult.Healthy("answers");
        });
}
