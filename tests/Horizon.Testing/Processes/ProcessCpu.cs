using System.Globalization;

namespace Horizon.Testing.Processes;

/// <summary>
/// Reads the CPU time a process has used so far from <c>/proc/&lt;pid&gt;/stat</c> (user + system,
/// children not included) and the machine's from <c>/proc/stat</c>. Linux only; elsewhere every
/// reading is null (the fleet simulator then prints no CPU figures).
/// </summary>
public static class ProcessCpu
{
    // USER_HZ is 100 on every Linux ABI .NET runs on; /proc reports times in those ticks.
    private const double TicksPerSecond = 100;

    /// <summary>CPU seconds used by <paramref name="pid"/>, or null when it is gone or /proc is unreadable.</summary>
    public static double? SecondsOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) may hold spaces and parentheses: fields are counted after its closing one.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // Fields 14 and 15 of the file (utime, stime) are the 12th and 13th after the name.
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Busy and total CPU seconds of the whole machine (all cores), or null when /proc/stat is unreadable.</summary>
    public static (double Busy, double Total)? Machine()
    {
        try
        {
            using var reader = new StreamReader("/proc/stat");
            var line = reader.ReadLine();
            if (line is null || !line.StartsWith("cpu ", StringComparison.Ordinal))
            {
                return null;
            }
            var ticks = line[4..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(t => long.Parse(t, CultureInfo.InvariantCulture)).ToArray();
            var total = ticks.Take(8).Sum();
            var idle = ticks[3] + ticks[4];
            return ((total - idle) / TicksPerSecond, total / TicksPerSecond);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
