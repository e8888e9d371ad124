using System.Text.Json.Serialization;

namespace Horizon.Patterns.Deployment;

/// <summary>The parsed <c>deployment</c> string: <c>{"services": {"&lt;name&gt;": {...}}}</c>.</summary>
public sealed record DeploymentDescription
{
    [JsonPropertyName("services")]
    public IReadOnlyDictionary<string, DeploymentService> Services { get; init => field = value ?? new Dictionary<string, DeploymentService>(); }
        = new Dictionary<string, DeploymentService>();

    /// <summary>Whether any container asks for privileged mode or the host network (a node must allow it).</summary>
    [JsonIgnore]
    public bool RequiresPrivilege =>
        Services.Values.Any(s => s.Privileged || string.Equals(s.Network, "host", StringComparison.Ordinal));
}
