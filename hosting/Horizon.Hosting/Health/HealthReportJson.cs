using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Horizon.Hosting.Health;

/// <summary>
/// The body of <c>/healthz</c> and <c>/readyz</c>:
/// <c>{"status":"Unhealthy","checks":[{"name":"nats","status":"Unhealthy","description":"not connected","durationMs":0.4}]}</c>.
/// Written by hand on a <see cref="Utf8JsonWriter"/>, so no reflection is needed under NativeAOT.
/// Exception details stay in the logs: the probes are anonymous.
/// </summary>
public static class HealthReportJson
{
    /// <summary>The HTTP status for <paramref name="status"/>: 200 unless unhealthy (503). Degraded still serves.</summary>
    public static int StatusCode(HealthStatus status) => status == HealthStatus.Unhealthy ? 503 : 200;

    public static async Task WriteAsync(Stream body, HealthReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(report);
        await using var json = new Utf8JsonWriter(body);
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WriteNumber("durationMs", Math.Round(report.TotalDuration.TotalMilliseconds, 2));
        json.WriteStartArray("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("status", entry.Status.ToString());
            if (entry.Description is { Length: > 0 } description)
            {
                json.WriteString("description", description);
            }
            json.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 2));
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }
}
