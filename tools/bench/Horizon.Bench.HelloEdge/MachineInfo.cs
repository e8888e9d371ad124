using System.Globalization;

namespace Horizon.Bench.HelloEdge;

/// <summary>The machine a figure was taken on, so a reader can judge it (the development machine is shared).</summary>
internal static class MachineInfo
{
    public static string Describe()
    {
        var memory = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var gigabytes = long.Parse(memory, CultureInfo.InvariantCulture) / 1024.0 / 1024.0;
        return string.Create(CultureInfo.InvariantCulture,
            $"machine: {Environment.ProcessorCount} cores, {gigabytes:0.0} GB memory, {LoadAverage()}");
    }

    /// <summary>The 1, 5 and 15 minute load averages with the UTC time they were read.</summary>
    public static string LoadAverage()
    {
        var fields = File.ReadAllText("/proc/loadavg").Split(' ');
        return $"load average {fields[0]} {fields[1]} {fields[2]} at {DateTime.UtcNow:HH:mm:ss} UTC";
    }
}
