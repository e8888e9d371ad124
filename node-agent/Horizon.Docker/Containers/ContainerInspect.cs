namespace Horizon.Docker;

/// <summary>The answer of <c>GET /containers/{id}/json</c> (<c>docker container inspect</c>).</summary>
public sealed record ContainerInspect
{
    public string Id { get; init; } = "";

    /// <summary>Name with the engine's leading slash, e.g. <c>/web</c>.</summary>
    public string Name { get; init; } = "";

    /// <summary>Image id (<c>sha256:…</c>) the container was created from.</summary>
    public string Image { get; init; } = "";

    /// <summary>Restarts done by the engine's restart policy (always 0 under policy <c>no</c>).</summary>
    public int RestartCount { get; init; }

    public ContainerState State { get; init; } = new();

    public ContainerConfig Config { get; init; } = new();

    public ContainerHostConfig HostConfig { get; init; } = new();

    public ContainerNetworkSettings NetworkSettings { get; init; } = new();

    /// <summary>Binds and volumes mounted into the container.</summary>
    public IReadOnlyList<ContainerMount> Mounts { get; init; } = [];
}

/// <summary>One mount of a container: a host path (<c>bind</c>) or an engine volume (<c>volume</c>).</summary>
public sealed record ContainerMount
{
    /// <summary><c>bind</c>, <c>volume</c> or <c>tmpfs</c>.</summary>
    public string Type { get; init; } = "";

    /// <summary>Volume name for <c>volume</c> mounts (<c>docker volume inspect</c> takes it); empty for binds.</summary>
    public string Name { get; init; } = "";

    /// <summary>Host path of the bind, or of the volume's data.</summary>
    public string Source { get; init; } = "";

    /// <summary>Path inside the container.</summary>
    public string Destination { get; init; } = "";

    /// <summary>False for read-only mounts (<c>:ro</c>).</summary>
    [System.Text.Json.Serialization.JsonPropertyName("RW")]
    public bool ReadWrite { get; init; }
}

/// <summary>Run state of a container.</summary>
public sealed record ContainerState
{
    /// <summary><c>created</c>, <c>running</c>, <c>paused</c>, <c>restarting</c>, <c>removing</c>, <c>exited</c> or <c>dead</c>.</summary>
    public string Status { get; init; } = "";

    public bool Running { get; init; }

    public bool Paused { get; init; }

    public bool Restarting { get; init; }

    /// <summary>The kernel's OOM killer ended the last run.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("OOMKilled")]
    public bool OomKilled { get; init; }

    public bool Dead { get; init; }

    public int Pid { get; init; }

    /// <summary>Exit code of the last run; 0 while it has not ended.</summary>
    public int ExitCode { get; init; }

    public string Error { get; init; } = "";

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset FinishedAt { get; init; }
}

/// <summary>The part of the container's configuration a deployment sets.</summary>
public sealed record ContainerConfig
{
    public string Image { get; init; } = "";

    public string Hostname { get; init; } = "";

    public IReadOnlyList<string>? Env { get; init; }

    public IReadOnlyList<string>? Cmd { get; init; }

    public IReadOnlyList<string>? Entrypoint { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public bool Tty { get; init; }
}

/// <summary>Host-side settings: limits, privilege, binds, restart policy.</summary>
public sealed record ContainerHostConfig
{
    public IReadOnlyList<string>? Binds { get; init; }

    public long Memory { get; init; }

    /// <summary>Memory plus swap in bytes; equal to <see cref="Memory"/> when the container may not swap.</summary>
    public long MemorySwap { get; init; }

    public long NanoCpus { get; init; }

    public bool Privileged { get; init; }

    public string NetworkMode { get; init; } = "";

    /// <summary>Published ports by <c>port/protocol</c>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<PortBinding>?>? PortBindings { get; init; }

    public RestartPolicy RestartPolicy { get; init; } = new();
}

/// <summary>A host address and port a container port is published on.</summary>
public sealed record PortBinding
{
    public string HostIp { get; init; } = "";

    public string HostPort { get; init; } = "";
}

/// <summary>The engine's restart policy; Horizon always uses <c>no</c>.</summary>
public sealed record RestartPolicy
{
    public string Name { get; init; } = "";

    public int MaximumRetryCount { get; init; }
}

/// <summary>Networks the container is attached to, by network name.</summary>
public sealed record ContainerNetworkSettings
{
    public IReadOnlyDictionary<string, ContainerNetworkEndpoint> Networks { get; init; } = new Dictionary<string, ContainerNetworkEndpoint>();
}

/// <summary>The container's endpoint on one network.</summary>
public sealed record ContainerNetworkEndpoint
{
    [System.Text.Json.Serialization.JsonPropertyName("NetworkID")]
    public string NetworkId { get; init; } = "";

    [System.Text.Json.Serialization.JsonPropertyName("IPAddress")]
    public string IpAddress { get; init; } = "";

    public IReadOnlyList<string>? Aliases { get; init; }
}
