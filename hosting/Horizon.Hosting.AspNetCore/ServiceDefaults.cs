using Microsoft.Extensions.DependencyInjection;
using Horizon.Hosting.Logging;
using Horizon.Hosting.Memory;
using Horizon.Hosting.Telemetry;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;

namespace Horizon.Hosting.AspNetCore;

/// <summary>
/// The one hosting idiom of Horizon's deployables (after eShop's <c>AddServiceDefaults</c>):
/// console logs with scopes, health checks, OpenTelemetry metrics exported in Prometheus text, and the
/// release of the executable's start-up pages once the process settled (<see cref="StartupPageRelease"/>).
/// <see cref="ServiceEndpoints.MapServiceDefaults"/> serves <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c>.
/// </summary>
public static class ServiceDefaults
{
    /// <summary>ASP.NET Core's own meters: <c>http.server.request.duration</c> by route, method and status.</summary>
    public static readonly string[] AspNetCoreMeters = ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"];

    /// <summary>
    /// Adds the defaults to <paramref name="builder"/>. Readiness checks are added by the deployable
    /// with <c>AddHealthChecks().AddReadinessProbe(...)</c>; this returns that builder.
    /// </summary>
    /// <param name="serviceName">The <c>service.name</c> resource attribute, e.g. <c>horizon-agbot</c>.</param>
    /// <param name="meters">The deployable's own meters (<see cref="HorizonMeters"/>).</param>
    public static IHealthChecksBuilder AddServiceDefaults(this IHostApplicationBuilder builder, string serviceName, params string[] meters)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Logging.AddHorizonConsole();
        builder.Services.AddHorizonMetrics(serviceName, [.. meters, .. AspNetCoreMeters], metrics => metrics
            .AddPrometheusExporter()
            .AddView("http.server.request.duration", new ExplicitBucketHistogramConfiguration { Boundaries = [.. HorizonMeters.LatencyBuckets] }));
        builder.Services.AddStartupPageRelease();
        return builder.Services.AddHealthChecks();
    }
}
