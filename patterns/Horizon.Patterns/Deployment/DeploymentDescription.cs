using System.Text.Json.Serialization;

namespace Horizon.Patterns.Deployment;

/// <summary>The parsed <c>deployment</c> string: <c>{"services": {"&lt;name&gt;": {...}}}</c>.</summary>
public sealed record DeploymentDescription
{
    [JsonPropertyName("services")]
    public IReadOnlyDictionary<string, DeploymentService> Services { get; init => field = value ?? new Dictionary<string, DeploymentService>(); }
        = new Dictionary<string, DeploymentService>();

    /// <summary>
    /// Whether any container asks for something a node must allow (<c>openhorizon.allowPrivileged</c>):
    /// privileged mode, the host network, or a capability beyond <see cref="LinuxCapabilities.Unprivileged"/>.
    /// </summary>
    [JsonIgnore]
    public bool RequiresPrivilege => PrivilegeRequests.Count > 0;

    /// <summary>
    /// What asks for the node's permission, one entry each: <c>services.web.privileged</c>,
    /// <c>services.web.network host</c>, <c>services.web.cap_add SYS_ADMIN</c>.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<string> PrivilegeRequests => [.. Services.Where(s => s.Value is not null).SelectMany(s => RequestsOf(s.Key, s.Value))];

    private static IEnumerable<string> RequestsOf(string name, DeploymentService service)
    {
        if (service.Privileged)
        {
            yield return $"services.{name}.privileged";
        }
        if (string.Equals(service.Network, "host", StringComparison.Ordinal))
        {
            yield return $"services.{name}.network host";
        }
        foreach (var capability in service.CapAdd.Select(LinuxCapabilities.Normalize).OfType<string>().Where(LinuxCapabilities.NeedsPrivilege))
        {
            yield return $"services.{name}.cap_add {capability}";
        }
    }
}
