using System.Text.Json.Serialization;

namespace Horizon.Patterns.Deployment;

/// <summary>One container of a deployment, with the field names of Open Horizon's deployment string.</summary>
public sealed record DeploymentService
{
    /// <summary>The image, pinned by digest (<c>repo@sha256:…</c>) in a signed deployment.</summary>
    [JsonPropertyName("image")]
    public string Image { get; init => field = value ?? ""; } = "";

    [JsonPropertyName("privileged")]
    public bool Privileged { get; init; }

    [JsonPropertyName("cap_add")]
    public IReadOnlyList<string> CapAdd { get; init => field = value ?? []; } = [];

    /// <summary><c>NAME=value</c> entries.</summary>
    [JsonPropertyName("environment")]
    public IReadOnlyList<string> Environment { get; init => field = value ?? []; } = [];

    [JsonPropertyName("command")]
    public IReadOnlyList<string>? Command { get; init; }

    [JsonPropertyName("entrypoint")]
    public IReadOnlyList<string>? Entrypoint { get; init; }

    [JsonPropertyName("ports")]
    public IReadOnlyList<PortMapping> Ports { get; init => field = value ?? []; } = [];

    /// <summary>Open Horizon's older name for <see cref="Ports"/>; both are honoured.</summary>
    [JsonPropertyName("specific_ports")]
    public IReadOnlyList<PortMapping> SpecificPorts { get; init => field = value ?? []; } = [];

    /// <summary><c>host-path:container-path[:ro|rw]</c> or <c>volume:container-path[:ro|rw]</c>.</summary>
    [JsonPropertyName("binds")]
    public IReadOnlyList<string> Binds { get; init => field = value ?? []; } = [];

    /// <summary>Host devices given to the container, <see cref="DeviceMapping.Form"/> (parsed by <see cref="DeviceMapping.TryParse"/>).</summary>
    [JsonPropertyName("devices")]
    public IReadOnlyList<string> Devices { get; init => field = value ?? []; } = [];

    /// <summary><c>host</c> to use the host network; anything else is rejected (each service gets its own network).</summary>
    [JsonPropertyName("network")]
    public string? Network { get; init; }

    [JsonPropertyName("max_memory_mb")]
    public long? MaxMemoryMb { get; init; }

    [JsonPropertyName("max_cpus")]
    public double? MaxCpus { get; init; }

    [JsonPropertyName("log_driver")]
    public string? LogDriver { get; init; }

    [JsonPropertyName("user")]
    public string? User { get; init; }

    [JsonPropertyName("tmpfs")]
    public IReadOnlyDictionary<string, string>? Tmpfs { get; init; }

    /// <summary>When the container is ready; without one it counts as ready once started.</summary>
    [JsonPropertyName("healthcheck")]
    public DeploymentHealthcheck? Healthcheck { get; init; }

    /// <summary>A TCP or HTTP probe the node agent runs before it starts the services that require this one.</summary>
    [JsonPropertyName("readiness")]
    public DeploymentReadiness? Readiness { get; init; }

    /// <summary>Every published port: <see cref="Ports"/> then <see cref="SpecificPorts"/>.</summary>
    [JsonIgnore]
    public IEnumerable<PortMapping> AllPorts => Ports.Concat(SpecificPorts);
}
