using System.Runtime.InteropServices;
using Horizon.Exchange.Client;

namespace Horizon.NodeAgent.Enrollment;

/// <summary>What the device says about itself in its enrollment request, read from the running system.</summary>
public static class DeviceFacts
{
    /// <summary>Arch, CPUs, memory, /etc/os-release's PRETTY_NAME and /etc/machine-id (null where unreadable).</summary>
    public static EnrollmentFacts Read(string osReleasePath = "/etc/os-release", string machineIdPath = "/etc/machine-id") => new()
    {
        Arch = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "amd64",
            Architecture.Arm64 => "arm64",
            Architecture.Arm => "arm",
            var other => other.ToString().ToLowerInvariant(),
        },
        Cpus = Environment.ProcessorCount,
        MemoryMb = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024),
        OsRelease = PrettyName(osReleasePath),
        MachineId = File.Exists(machineIdPath) ? File.ReadAllText(machineIdPath).Trim() : null,
    };

    private static string? PrettyName(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
            {
                return line["PRETTY_NAME=".Length..].Trim('"');
            }
        }
        return null;
    }
}
