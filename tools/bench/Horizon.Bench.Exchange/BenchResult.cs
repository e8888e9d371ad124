using System.Globalization;

namespace Horizon.Bench.Exchange;

/// <summary>The figures of one storage provider.</summary>
internal sealed record BenchResult(string Provider, int Nodes, double RegistrationsPerSecond, double RegistrationCpuMs, double SearchP50Ms,
    double SearchP99Ms, double SearchCpuMs, int SearchPages, double HeartbeatsPerSecond, double HeartbeatCpuMs, long HeartbeatErrors,
    string RegistrationLoad, string SearchLoad, string HeartbeatLoad, double ColdSearchP50Ms, double ColdSearchP99Ms, double ColdSearchCpuMs,
    double RestartSearchP50Ms, double RestartSearchP99Ms, double RestartSearchCpuMs, double RestartWarmSearchP50Ms, double RestartWarmSearchP99Ms,
    double RestartWarmSearchCpuMs, string RestartLoad)
{
    public static void Print(IReadOnlyList<BenchResult> results, string commandLine)
    {
        Console.WriteLine();
        Console.WriteLine($"command: {commandLine}");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores; load average (1/5/15 min) is read from /proc/loadavg at the end of each phase");
        Console.WriteLine();
        Console.WriteLine("| figure | " + string.Join(" | ", results.Select(r => r.Provider)) + " |");
        Console.WriteLine("| --- |" + string.Concat(results.Select(_ => " --- |")));
        Row("registered nodes", results, r => r.Nodes.ToString("N0", CultureInfo.InvariantCulture));
        Row("registrations/s", results, r => r.RegistrationsPerSecond.ToString("N0", CultureInfo.InvariantCulture));
        Row("load average after registering", results, r => r.RegistrationLoad);
        Row("exchange CPU ms / registration", results, r => r.RegistrationCpuMs.ToString("F2", CultureInfo.InvariantCulture));
        Row("pattern search p50 ms / page of 1,000, first pass (cold)", results, r => r.ColdSearchP50Ms.ToString("F1", CultureInfo.InvariantCulture));
        Row("pattern search p99 ms / page of 1,000, first pass (cold)", results, r => r.ColdSearchP99Ms.ToString("F1", CultureInfo.InvariantCulture));
        Row("exchange CPU ms / search page, first pass", results, r => r.ColdSearchCpuMs.ToString("F1", CultureInfo.InvariantCulture));
        Row("pattern search p50 ms / page of 1,000, second pass", results, r => r.SearchP50Ms.ToString("F1", CultureInfo.InvariantCulture));
        Row("pattern search p99 ms / page of 1,000, second pass", results, r => r.SearchP99Ms.ToString("F1", CultureInfo.InvariantCulture));
        Row("exchange CPU ms / search page, second pass", results, r => r.SearchCpuMs.ToString("F1", CultureInfo.InvariantCulture));
        Row("pages searched per pass", results, r => r.SearchPages.ToString(CultureInfo.InvariantCulture));
        Row("load average after searching", results, r => r.SearchLoad);
        Row("pattern search p50 / p99 ms, first pass after a restart on the same database", results, r => F(r.RestartSearchP50Ms) + " / " + F(r.RestartSearchP99Ms));
        Row("exchange CPU ms / search page, first pass after the restart", results, r => F(r.RestartSearchCpuMs));
        Row("pattern search p50 / p99 ms, second pass after the restart", results, r => F(r.RestartWarmSearchP50Ms) + " / " + F(r.RestartWarmSearchP99Ms));
        Row("exchange CPU ms / search page, second pass after the restart", results, r => F(r.RestartWarmSearchCpuMs));
        Row("load average after searching after the restart", results, r => r.RestartLoad);
        Row("heartbeats/s sustained", results, r => r.HeartbeatsPerSecond.ToString("N0", CultureInfo.InvariantCulture));
        Row("exchange CPU ms / heartbeat", results, r => r.HeartbeatCpuMs.ToString("F3", CultureInfo.InvariantCulture));
        Row("heartbeat errors", results, r => r.HeartbeatErrors.ToString(CultureInfo.InvariantCulture));
        Row("load average after heartbeating", results, r => r.HeartbeatLoad);
    }

    /// <summary>The 1, 5 and 15 minute load averages, as the kernel reports them.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string F(double value) => value.ToString("F1", CultureInfo.InvariantCulture);

    private static void Row(string name, IReadOnlyList<BenchResult> results, Func<BenchResult, string> value) =>
        Console.WriteLine($"| {name} | " + string.Join(" | ", results.Select(value)) + " |");
}
