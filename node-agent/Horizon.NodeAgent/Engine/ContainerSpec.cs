namespace Horizon.NodeAgent.Engine;

/// <summary>
/// What to create: the subset of <c>docker create</c> a Horizon deployment can ask for. The
/// restart policy is always <c>no</c>: the node agent restarts crashed containers itself, with
/// backoff and a retry budget the engine knows nothing about.
/// </summary>
public sealed record ContainerSpec
{
    /// <summary>Image reference; a digest-pinned <c>repo@sha256:…</c> for deployments.</summary>
    public required string Image { get; init; }

    /// <summary><c>--name</c>.</summary>
    public required string Name { get; init; }

    /// <summary><c>--env</c>: variables by name.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary><c>--label</c>: how a restarted agent finds its containers again.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Arguments after the image; null keeps the image's CMD.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary><c>--entrypoint</c>; null keeps the image's.</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }

    /// <summary><c>--volume</c> in engine syntax: <c>/host/path:/container/path[:ro]</c> or <c>volume:/path</c>.</summary>
    public IReadOnlyList<string> Binds { get; init; } = [];

    /// <summary><c>--device</c>: host devices the container gets.</summary>
    public IReadOnlyList<DeviceSpec> Devices { get; init; } = [];

    /// <summary><c>--publish</c>.</summary>
    public IReadOnlyList<PortMapping> Ports { get; init; } = [];

    /// <summary><c>--memory</c> in bytes, with <c>--memory-swap</c> the same (no swap); null for no limit.</summary>
    public long? MemoryBytes { get; init; }

    /// <summary><c>--cpus</c>, e.g. 0.5; null for no limit.</summary>
    public double? Cpus { get; init; }

    /// <summary><c>--privileged</c>.</summary>
    public bool Privileged { get; init; }

    /// <summary><c>--cap-add</c>: capabilities as Docker names them (<c>NET_ADMIN</c>, <c>ALL</c>).</summary>
    public IReadOnlyList<string> CapAdd { get; init; } = [];

    /// <summary><c>--user</c>: <c>user[:group]</c>, names or numeric ids; null keeps the image's.</summary>
    public string? User { get; init; }

    /// <summary><c>--tmpfs</c>: container path to mount options (<c>size=64m,mode=1777</c>, or empty).</summary>
    public IReadOnlyDictionary<string, string> Tmpfs { get; init; } = new Dictionary<string, string>();

    /// <summary><c>--log-driver</c>; null keeps the engine's default.</summary>
    public string? LogDriver { get; init; }

    /// <summary><c>--network</c>: the one network joined at creation; more with <see cref="IContainerEngine.ConnectNetworkAsync"/>.</summary>
    public string? Network { get; init; }

    /// <summary><c>--network-alias</c> on <see cref="Network"/>: names other containers there resolve to this one.</summary>
    public IReadOnlyList<string> NetworkAliases { get; init; } = [];

    /// <summary><c>--hostname</c>.</summary>
    public string? Hostname { get; init; }

    /// <summary><c>--health-cmd</c> and its timing; null keeps the image's healthcheck.</summary>
    public HealthcheckSpec? Healthcheck { get; init; }
}

/// <summary>One <c>--device</c>: <c>host-path:container-path:permissions</c>, permissions from <c>rwm</c>.</summary>
public sealed record DeviceSpec(string HostPath, string ContainerPath, string Permissions);

/// <summary>One <c>--publish</c>: a container port, optionally bound to a host port and address.</summary>
/// <param name="ContainerPort">Port inside the container.</param>
/// <param name="HostPort">Host port; null or 0 picks a free one.</param>
/// <param name="HostIp">Host address to bind; null binds all.</param>
/// <param name="Protocol"><c>tcp</c> or <c>udp</c>.</param>
public sealed record PortMapping(int ContainerPort, int? HostPort = null, string? HostIp = null, string Protocol = "tcp");

/// <summary>A Docker healthcheck: <c>--health-cmd</c>, <c>--health-interval</c>, <c>--health-timeout</c>, <c>--health-retries</c>, <c>--health-start-period</c>.</summary>
/// <param name="Test"><c>["CMD", "prog", "arg"]</c> or <c>["CMD-SHELL", "command line"]</c>.</param>
public sealed record HealthcheckSpec(IReadOnlyList<string> Test, TimeSpan Interval, TimeSpan Timeout, int Retries, TimeSpan StartPeriod);
