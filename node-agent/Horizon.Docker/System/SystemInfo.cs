using System.Text.Json.Serialization;

namespace Horizon.Docker;

/// <summary>The answer of <c>GET /info</c> (<c>docker info</c>): the facts a node advertises about itself.</summary>
public sealed record SystemInfo
{
    [JsonPropertyName("ID")]
    public string Id { get; init; } = "";

    /// <summary>Host name of the engine's machine.</summary>
    public string Name { get; init; } = "";

    /// <summary>Logical CPUs available to containers.</summary>
    [JsonPropertyName("NCPU")]
    public int CpuCount { get; init; }

    /// <summary>Memory of the machine in bytes.</summary>
    [JsonPropertyName("MemTotal")]
    public long MemoryBytes { get; init; }

    /// <summary>Kernel architecture as <c>uname -m</c> says it (<c>x86_64</c>, <c>aarch64</c>).</summary>
    public string Architecture { get; init; } = "";

    [JsonPropertyName("OSType")]
    public string OsType { get; init; } = "";

    public string OperatingSystem { get; init; } = "";

    public string KernelVersion { get; init; } = "";

    public string ServerVersion { get; init; } = "";

    public int Containers { get; init; }

    public int ContainersRunning { get; init; }

    public int Images { get; init; }

    /// <summary>
    /// <see cref="Architecture"/> in the Go/Open Horizon spelling a service's <c>arch</c> uses
    /// (<c>amd64</c>, <c>arm64</c>, <c>arm</c>); unknown names pass through unchanged.
    /// </summary>
    [JsonIgnore]
    public string HorizonArchitecture => Architecture switch
    {
        "x86_64" or "amd64" => "amd64",
        "aarch64" or "arm64" => "arm64",
        "armv7l" or "armv6l" or "armhf" or "arm" => "arm",
        "i386" or "i686" => "386",
        "ppc64le" => "ppc64le",
        "s390x" => "s390x",
        "riscv64" => "riscv64",
        _ => Architecture,
    };
}
