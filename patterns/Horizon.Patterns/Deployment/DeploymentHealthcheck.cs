using System.Text.Json.Serialization;

namespace Horizon.Patterns.Deployment;

/// <summary>
/// A service container's readiness, as a Docker healthcheck (<c>docker run --health-cmd …</c>). The
/// node agent starts the services that require this one only once it reports healthy. Times are
/// seconds.
/// </summary>
public sealed record DeploymentHealthcheck
{
    /// <summary>Docker's form: <c>["CMD", "prog", "arg"]</c> or <c>["CMD-SHELL", "a shell line"]</c>.</summary>
    [JsonPropertyName("test")]
    public IReadOnlyList<string> Test { get; init => field = value ?? []; } = [];

    /// <summary>Between two checks; default 5.</summary>
    [JsonPropertyName("interval")]
    public double Interval { get; init; } = 5;

    /// <summary>One check's limit; default 3.</summary>
    [JsonPropertyName("timeout")]
    public double Timeout { get; init; } = 3;

    /// <summary>Failed checks in a row before the container counts as unhealthy; default 3.</summary>
    [JsonPropertyName("retries")]
    public int Retries { get; init; } = 3;

    /// <summary>Failures within this time after the start do not count; default 0.</summary>
    [JsonPropertyName("start_period")]
    public double StartPeriod { get; init; }
}
