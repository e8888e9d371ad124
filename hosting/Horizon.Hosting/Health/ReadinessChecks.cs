using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Horizon.Hosting.Health;

/// <summary>Adds the dependencies <c>/readyz</c> waits for.</summary>
public static class ReadinessChecks
{
    /// <summary>
    /// Adds a readiness check named <paramref name="name"/> that runs <paramref name="probe"/> and
    /// reports unhealthy when it throws or does not answer within <paramref name="timeout"/> (default 5 s).
    /// The probe should do the cheapest thing that proves the dependency answers (a <c>SELECT 1</c>, a ping).
    /// </summary>
    public static IHealthChecksBuilder AddReadinessProbe(this IHealthChecksBuilder builder, string name,
        Func<IServiceProvider, CancellationToken, Task<HealthCheckResult>> probe, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(probe);
        return builder.Add(new HealthCheckRegistration(name, sp => new ProbeHealthCheck(sp, probe), HealthStatus.Unhealthy,
            [HealthTags.Ready], timeout ?? TimeSpan.FromSeconds(5)));
    }

    private sealed class ProbeHealthCheck(IServiceProvider services, Func<IServiceProvider, CancellationToken, Task<HealthCheckResult>> probe) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                return await probe(services, cancellationToken);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return HealthCheckResult.Unhealthy("did not answer in time");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The exception's type, not its message: /readyz is anonymous and messages may name hosts or files.
                return HealthCheckResult.Unhealthy($"failed: {e.GetType().Name}", e);
            }
        }
    }
}
