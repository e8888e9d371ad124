namespace Horizon.NodeAgent.Workloads;

/// <summary>
/// What the node tells its workloads about itself, injected as <c>HZN_*</c> variables.
/// </summary>
public sealed record NodeRuntimeInfo
{
    /// <summary>The node id without its org.</summary>
    public required string NodeId { get; init; }

    /// <summary>The node's organization.</summary>
    public required string Organization { get; init; }

    /// <summary>The exchange's base URL, e.g. <c>http://127.0.0.1:3090/v1</c>.</summary>
    public string ExchangeUrl { get; init; } = "";

    /// <summary>Architecture in Open Horizon's naming (<c>amd64</c>, <c>arm64</c>, <c>arm</c>).</summary>
    public string Arch { get; init; } = CurrentArch();

    /// <summary>Logical processors the node offers.</summary>
    public int Cpus { get; init; } = Environment.ProcessorCount;

    /// <summary>Memory the node offers, in MiB.</summary>
    public long RamMb { get; init; } = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024);

    /// <summary>The machine's architecture named as Open Horizon names it.</summary>
    public static string CurrentArch() => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        System.Runtime.InteropServices.Architecture.X86 => "386",
        var other => other.ToString().ToLowerInvariant(),
    };
}
