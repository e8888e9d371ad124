using System.Globalization;

namespace Horizon.Bench.Exchange;

/// <summary>
/// CPU of a process read from <c>/proc/&lt;pid&gt;/task/*/schedstat</c> (nanoseconds on the CPU, per thread). The
/// process-wide figure of <see cref="System.Diagnostics.Process.TotalProcessorTime"/> moves in 10 ms clock ticks, too
/// coarse for one search page of 2–5 ms.
/// </summary>
internal static class ProcessCpu
{
    /// <summary>
    /// The milliseconds the threads of a process ran between two readings: what each thread ran since the first (all of
    /// it for a thread started since). A thread that ended in between takes its time with it (thread-pool threads end
    /// when idle), so a sum over the live threads at each reading would go backwards.
    /// </summary>
    public static double MillisecondsBetween(IReadOnlyList<(int Id, string Name, long Nanoseconds)> before,
        IReadOnlyList<(int Id, string Name, long Nanoseconds)> after)
    {
        var earlier = before.ToDictionary(t => t.Id, t => t.Nanoseconds);
        return after.Sum(t => t.Nanoseconds - earlier.GetValueOrDefault(t.Id)) / 1e6;
    }

    /// <summary>Each live thread's id, name and nanoseconds run.</summary>
    public static IReadOnlyList<(int Id, string Name, long Nanoseconds)> Threads(int pid)
    {
        var tasks = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/task";
        if (!Directory.Exists(tasks))
        {
            return [];
        }
        var threads = new List<(int, string, long)>();
        foreach (var folder in Directory.EnumerateDirectories(tasks))
        {
            try
            {
                var run = File.ReadAllText(Path.Combine(folder, "schedstat"));
                var name = File.ReadAllText(Path.Combine(folder, "comm")).TrimEnd('\n');
                threads.Add((int.Parse(Path.GetFileName(folder), CultureInfo.InvariantCulture), name,
                    long.Parse(run.AsSpan(0, run.IndexOf(' ', StringComparison.Ordinal)), CultureInfo.InvariantCulture)));
            }
            catch (IOException)
            {
                // The thread ended between listing and reading: its time is no longer counted by anyone.
            }
        }
        return threads;
    }

    /// <summary>The threads that ran at least <paramref name="minimumMs"/> between two readings, dearest first.</summary>
    public static string Busiest(IReadOnlyList<(int Id, string Name, long Nanoseconds)> before,
        IReadOnlyList<(int Id, string Name, long Nanoseconds)> after, double minimumMs)
    {
        var earlier = before.ToDictionary(t => t.Id, t => t.Nanoseconds);
        var busy = after.Select(t => (t.Name, t.Id, Ms: (t.Nanoseconds - earlier.GetValueOrDefault(t.Id)) / 1e6))
            .Where(t => t.Ms >= minimumMs).OrderByDescending(t => t.Ms).ToList();
        return busy.Count == 0 ? "none" : string.Join(", ", busy.Select(t => $"{t.Name}#{t.Id} {t.Ms:F1} ms"));
    }
}
