namespace Horizon.Docker;

// The wire shape of POST /containers/create, filled from a ContainerSpec. Kept apart so the
// public spec can stay flat while the engine gets its nested shape.
internal sealed record ContainerCreateBody
{
    public required string Image { get; init; }
    public string? Hostname { get; init; }
    public IReadOnlyList<string> Env { get; init; } = [];
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string>? Cmd { get; init; }
    public IReadOnlyList<string>? Entrypoint { get; init; }
    public IReadOnlyDictionary<string, EmptyObject>? ExposedPorts { get; init; }
    public IReadOnlyDictionary<string, EmptyObject>? Volumes { get; init; }
    public required HostConfigBody HostConfig { get; init; }
    public NetworkingConfigBody? NetworkingConfig { get; init; }
}

internal sealed record HostConfigBody
{
    public IReadOnlyList<string>? Binds { get; init; }
    public IReadOnlyDictionary<string, IReadOnlyList<PortBindingBody>>? PortBindings { get; init; }
    public long? Memory { get; init; }
    public long? MemorySwap { get; init; }
    public long? NanoCpus { get; init; }
    public bool Privileged { get; init; }
    public string? NetworkMode { get; init; }
    public RestartPolicy RestartPolicy { get; init; } = new() { Name = "no" };
}

internal sealed record PortBindingBody
{
    public string HostIp { get; init; } = "";
    public string HostPort { get; init; } = "";
}

internal sealed record NetworkingConfigBody
{
    public required IReadOnlyDictionary<string, EndpointConfigBody> EndpointsConfig { get; init; }
}

internal sealed record EndpointConfigBody
{
    public IReadOnlyList<string>? Aliases { get; init; }
}

/// <summary>Serializes as <c>{}</c>: the engine's way of saying "this key is present".</summary>
internal sealed record EmptyObject;

/// <summary>The answer of <c>POST /containers/create</c>.</summary>
public sealed record ContainerCreateResponse
{
    public string Id { get; init; } = "";

    public IReadOnlyList<string>? Warnings { get; init; }
}
