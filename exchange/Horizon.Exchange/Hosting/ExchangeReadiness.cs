using Horizon.Exchange.Changes;
using Horizon.Exchange.Storage;
using Horizon.Hosting.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Horizon.Exchange.Hosting;

/// <summary>
/// What <c>/readyz</c> waits for on the exchange: its database, NATS when change notifications are configured, and the
/// start-up warm-up (<see cref="StartupWarmup"/>), so the first requests a load balancer sends meet a warm server.
/// </summary>
public static class ExchangeReadiness
{
    public static IHealthChecksBuilder AddExchangeReadiness(this IHealthChecksBuilder checks) => checks
        .AddReadinessProbe("database", async (sp, cancellationToken) =>
        {
            await using var connection = await sp.GetRequiredService<IStorageProvider>().OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("answers");
        })
        .AddReadinessProbe("warm-up", (sp, _) => Task.FromResult(sp.GetRequiredService<StartupWarmup>() is { IsDone: true } warmup
            ? HealthCheckResult.Healthy($"warmed up in {warmup.Took.TotalMilliseconds:F0} ms")
            : HealthCheckResult.Unhealthy("warming up")))
        .AddReadinessProbe("nats", async (sp, cancellationToken) => sp.GetService<IChangePublisher>() switch
        {
            null => HealthCheckResult.Healthy("not configured (Exchange:NatsUrl): changes are announced through the feed only"),
            NatsChangePublisher nats => await nats.ProbeAsync(cancellationToken)
                ? HealthCheckResult.Healthy("connected")
                : HealthCheckResult.Unhealthy("not connected"),
            _ => HealthCheckResult.Healthy("in-process publisher"),
        });
}
