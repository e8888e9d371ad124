using System.Net;
using Horizon.Hosting.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;

namespace Horizon.Hosting.AspNetCore;

/// <summary>Maps the probes and the scraping endpoint that <see cref="ServiceDefaults"/> prepared.</summary>
public static class ServiceEndpoints
{
    /// <summary>The setting listing the CIDR networks that may scrape <c>/metrics</c>; empty means loopback only.</summary>
    public const string MetricsNetworksSetting = "Hosting:MetricsAllowedNetworks";

    /// <summary>
    /// <c>/healthz</c>: 200 while the process serves requests (no check runs). <c>/readyz</c>: 200 when
    /// every readiness check passes, 503 with the failing ones named otherwise. <c>/metrics</c>:
    /// Prometheus text, to callers from the networks in <c>Hosting:MetricsAllowedNetworks</c> (403 to
    /// others). Metrics name orgs and workloads, so by default only loopback callers (a Prometheus on
    /// the same machine) get them; list your Prometheus servers' networks to open it further, e.g.
    /// <c>Hosting__MetricsAllowedNetworks__0=10.1.0.0/16</c>.
    /// </summary>
    /// <exception cref="FormatException">A configured <c>Hosting:MetricsAllowedNetworks</c> entry is not a CIDR network.</exception>
    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteReportAsync })
            .DisableHttpMetrics();
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(HealthTags.Ready),
            ResponseWriter = WriteReportAsync,
            ResultStatusCodes = { [Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded] = StatusCodes.Status200OK },
        }).DisableHttpMetrics();
        var allowed = AllowedNetworks([.. app.Configuration.GetSection(MetricsNetworksSetting).GetChildren().Select(c => c.Value ?? "")]);
        app.MapPrometheusScrapingEndpoint("/metrics")
            .AddEndpointFilter(async (context, next) =>
                IsAllowed(context.HttpContext.Connection.RemoteIpAddress, allowed)
                    ? await next(context)
                    : Results.Problem("metrics are served to the networks in Hosting:MetricsAllowedNetworks only", statusCode: StatusCodes.Status403Forbidden))
            .DisableHttpMetrics();
        return app;
    }

    private static Task WriteReportAsync(HttpContext context, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        return HealthReportJson.WriteAsync(context.Response.Body, report, context.RequestAborted);
    }

    /// <exception cref="FormatException">An entry is not a CIDR network.</exception>
    internal static IReadOnlyList<IPNetwork> AllowedNetworks(IReadOnlyList<string> configured)
    {
        if (configured.Count == 0)
        {
            return [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")];
        }
        return [.. configured.Select(entry => IPNetwork.TryParse(entry, out var network)
            ? network
            : throw new FormatException($"Hosting:MetricsAllowedNetworks entry '{entry}' is not a CIDR network such as 10.0.0.0/8"))];
    }

    internal static bool IsAllowed(IPAddress? caller, IReadOnlyList<IPNetwork> allowed)
    {
        if (caller is null)
        {
            // No remote address: an in-process test server, not a network caller.
            return true;
        }
        var address = caller.IsIPv4MappedToIPv6 ? caller.MapToIPv4() : caller;
        return allowed.Any(network => network.Contains(address));
    }
}
