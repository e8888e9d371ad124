using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using Horizon.Hosting.AspNetCore;
using Horizon.Hosting.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Horizon.Observability.Tests;

/// <summary>The probes and the scraping endpoint every deployable maps, on a real Kestrel listener.</summary>
public sealed class ServiceDefaultsTests
{
    private const string MeterName = "Horizon.Test.ServiceDefaults";

    [Fact]
    public async Task Healthz_AnswersWhileAReadinessCheckFails_AndReadyzNamesTheFailingCheck()
    {
        await using var host = await StartAsync(ready: false);

        using var alive = await host.Http.GetAsync("/healthz");
        using var ready = await host.Http.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        using var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        Assert.Equal("Unhealthy", report.RootElement.GetProperty("status").GetString());
        var check = Assert.Single(report.RootElement.GetProperty("checks").EnumerateArray());
        Assert.Equal("dependency", check.GetProperty("name").GetString());
        Assert.Equal("Unhealthy", check.GetProperty("status").GetString());
        // The anonymous probe names the failure's type, never its message (which may name hosts or files).
        Assert.Equal("failed: IOException", check.GetProperty("description").GetString());
        Assert.DoesNotContain("secret-host", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readyz_WithEveryCheckPassing_Answers200()
    {
        await using var host = await StartAsync(ready: true);

        using var ready = await host.Http.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Metrics_FromLoopback_ServesThePrometheusTextOfTheDeployablesMeters()
    {
        await using var host = await StartAsync(ready: true);
        host.Counter.Add(3, new KeyValuePair<string, object?>("outcome", "ok"));
        using var hit = await host.Http.GetAsync("/readyz");

        var text = await host.Http.GetStringAsync("/metrics");

        Assert.Contains("horizon_test_things_total{otel_scope_name=\"" + MeterName + "\",outcome=\"ok\"} 3", text, StringComparison.Ordinal);
        Assert.Contains("service_name=\"horizon-test\"", text, StringComparison.Ordinal);
        // The probes themselves are kept out of the request metrics.
        Assert.DoesNotContain("http_route=\"/readyz\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_FromANetworkNotAllowed_Answers403()
    {
        await using var host = await StartAsync(ready: true, allowedNetwork: "10.0.0.0/8");

        using var response = await host.Http.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Hosting:MetricsAllowedNetworks", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapServiceDefaults_WithAMalformedAllowedNetwork_FailsNamingTheSetting()
    {
        var error = await Assert.ThrowsAsync<FormatException>(() => StartAsync(ready: true, allowedNetwork: "10.0.0.0/33"));

        Assert.Contains("Hosting:MetricsAllowedNetworks entry '10.0.0.0/33'", error.Message, StringComparison.Ordinal);
    }

    private static async Task<TestHost> StartAsync(bool ready, string? allowedNetwork = null)
    {
        var args = new List<string> { "--urls", "http://127.0.0.1:0" };
        if (allowedNetwork is not null)
        {
            args.Add($"--Hosting:MetricsAllowedNetworks:0={allowedNetwork}");
        }
        var builder = WebApplication.CreateSlimBuilder([.. args]);
        builder.Logging.ClearProviders();
        builder.AddServiceDefaults("horizon-test", MeterName)
            .AddReadinessProbe("dependency", (_, _) => ready
                ? Task.FromResult(HealthCheckResult.Healthy("answers"))
                : throw new IOException("cannot reach secret-host:5432"));
        var app = builder.Build();
        try
        {
            app.MapServiceDefaults();
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        var meter = app.Services.GetRequiredService<IMeterFactory>().Create(MeterName);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new TestHost(app, new HttpClient { BaseAddress = new Uri(address) }, meter.CreateCounter<long>("horizon.test.things"));
    }

    private sealed record TestHost(WebApplication App, HttpClient Http, Counter<long> Counter) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await App.DisposeAsync();
        }
    }
}
