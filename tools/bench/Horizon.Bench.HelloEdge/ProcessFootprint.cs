using System.Diagnostics;
using System.Globalization;
using Horizon.Testing.Processes;

namespace Horizon.Bench.HelloEdge;

/// <summary>What one process held and used over a window, read from /proc/&lt;pid&gt;/status and /proc/&lt;pid&gt;/stat.</summary>
internal sealed record ProcessFootprint(
    TimeSpan Window, double CpuSeconds, long RssKb, long MinRssKb, long MaxRssKb, long PeakRssKb, long AnonKb, long FileKb, long SharedKb, int Threads)
{
    /// <summary>CPU time over the window as a share of one core.</summary>
    public double CpuPercentOfOneCore => CpuSeconds / Window.TotalSeconds * 100;

    /// <summary>Reads the process's CPU ticks at both ends of <paramref name="window"/> and its RSS every second in between.</summary>
    /// <exception cref="InvalidOperationException">The process ended during the window.</exception>
    public static async Task<ProcessFootprint> MeasureAsync(int pid, TimeSpan window, CancellationToken cancellationToken)
    {
        var ticksPerSecond = await ClockTicksPerSecondAsync(cancellationToken);
        var startTicks = CpuTicks(pid);
        var clock = Stopwatch.StartNew();
        var rss = new List<long>();
        while (clock.Elapsed < window)
        {
            rss.Add(Status(pid)["VmRSS"]);
            var left = window - clock.Elapsed;
            await Task.Delay(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1), cancellationToken);
        }
        var cpuSeconds = (CpuTicks(pid) - startTicks) / (double)ticksPerSecond;
        var elapsed = clock.Elapsed;
        var status = Status(pid);
        rss.Add(status["VmRSS"]);
        return new ProcessFootprint(elapsed, cpuSeconds, status["VmRSS"], rss.Min(), rss.Max(), status["VmHWM"],
            status["RssAnon"], status["RssFile"], status["RssShmem"], (int)status["Threads"]);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"RSS {RssKb / 1024.0:0.0} MB at the end (min {MinRssKb / 1024.0:0.0}, max {MaxRssKb / 1024.0:0.0} sampled each second; " +
        $"peak since start VmHWM {PeakRssKb / 1024.0:0.0} MB; anonymous {AnonKb / 1024.0:0.0} MB, file {FileKb / 1024.0:0.0} MB, shared memory {SharedKb / 1024.0:0.0} MB), {Threads} threads; " +
        $"CPU {CpuSeconds:0.00} s over {Window.TotalSeconds:0.0} s = {CpuPercentOfOneCore:0.00} % of one core");

    // utime and stime are fields 14 and 15 of /proc/<pid>/stat; counting from after the ")" that ends
    // the command name (which may itself hold spaces) they are the 12th and 13th.
    private static long CpuTicks(int pid)
    {
        var stat = Read($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    // Values in kB (VmRSS, VmHWM, RssAnon, RssFile, RssShmem: where .NET keeps its W^X double-mapped executable memory) or counts (Threads).
    private static Dictionary<string, long> Status(int pid) =>
        Read($"/proc/{pid}/status").Split('\n')
            .Select(line => line.Split(':', 2))
            .Where(pair => pair.Length == 2 && pair[0] is "VmRSS" or "VmHWM" or "RssAnon" or "RssFile" or "RssShmem" or "Threads")
            .ToDictionary(pair => pair[0], pair => long.Parse(pair[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture));

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InvalidOperationException($"{path} is gone: the process ended during the measurement", e);
        }
    }

    private static async Task<long> ClockTicksPerSecondAsync(CancellationToken cancellationToken)
    {
        var result = await CommandLine.RunAsync("getconf", ["CLK_TCK"], cancellationToken: cancellationToken);
        return result.Succeeded && long.TryParse(result.StandardOutput.Trim(), CultureInfo.InvariantCulture, out var ticks) && ticks > 0
            ? ticks
            : throw new InvalidOperationException($"getconf CLK_TCK failed: {result.StandardError}");
    }
}
