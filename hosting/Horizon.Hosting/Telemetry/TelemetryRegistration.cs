using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Horizon.Hosting.Telemetry;

/// <summary>Registers the OpenTelemetry meter provider that every deployable exports from.</summary>
public static class TelemetryRegistration
{
    /// <summary>
    /// Collects <paramref name="meters"/> and the runtime's meter under the service name
    /// <paramref name="serviceName"/>; <paramref name="exporter"/> adds the reader that exports them
    /// (the Prometheus scraping endpoint on ASP.NET Core hosts).
    /// </summary>
    public static IServiceCollection AddHorizonMetrics(this IServiceCollection services, string serviceName,
        IEnumerable<string> meters, Action<MeterProviderBuilder>? exporter = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);
        services.AddMetrics();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter([.. meters, HorizonMeters.Runtime]);
                exporter?.Invoke(metrics);
            });
        return services;
    }
}
