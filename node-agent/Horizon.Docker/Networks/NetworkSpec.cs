namespace Horizon.Docker;

/// <summary>What to create: <c>docker network create</c> for a bridge network.</summary>
public sealed record NetworkSpec
{
    /// <summary>Network name; the engine refuses a second network with the same name.</summary>
    public required string Name { get; init; }

    /// <summary><c>--driver</c>; Horizon uses <c>bridge</c>.</summary>
    public string Driver { get; init; } = "bridge";

    /// <summary><c>--internal</c>: no route off the machine, only between attached containers.</summary>
    public bool Internal { get; init; }

    /// <summary><c>--label</c>.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary><c>--opt</c>: driver options such as <c>com.docker.network.bridge.enable_icc</c>.</summary>
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();
}

// Wire shape of POST /networks/create.
internal sealed record NetworkCreateBody
{
    public required string Name { get; init; }
    public required string Driver { get; init; }
    public bool Internal { get; init; }
    public bool CheckDuplicate { get; init; } = true;
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
    public IReadOnlyDictionary<string, string>? Options { get; init; }
}

/// <summary>The answer of <c>POST /networks/create</c>.</summary>
public sealed record NetworkCreateResponse
{
    public string Id { get; init; } = "";

    public string? Warning { get; init; }
}

// Wire shapes of POST /networks/{id}/connect and /disconnect.
internal sealed record NetworkConnectBody
{
    public required string Container { get; init; }
    public EndpointConfigBody? EndpointConfig { get; init; }
}

internal sealed record NetworkDisconnectBody
{
    public required string Container { get; init; }
    public bool Force { get; init; }
}
