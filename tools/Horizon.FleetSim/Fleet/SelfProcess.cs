using System.Diagnostics;

namespace Horizon.FleetSim.Fleet;

/// <summary>How the simulator starts a child process of itself (a shard, the exchange), with stdio redirected, and reads its memory.</summary>
internal static class SelfProcess
{
    public static ProcessStartInfo StartInfo(params string[] arguments)
    {
        var apphost = Path.Combine(AppContext.BaseDirectory, "Horizon.FleetSim");
        var start = File.Exists(apphost)
            ? new ProcessStartInfo(apphost)
            : new ProcessStartInfo("dotnet") { ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Horizon.FleetSim.dll") } };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        return start;
    }

    /// <summary>Resident memory of <paramref name="process"/>, in bytes (0 once it exited).</summary>
    public static long ResidentBytes(Process process)
    {
        try
        {
            process.Refresh();
            return process.HasExited ? 0 : process.WorkingSet64;
        }
        catch (InvalidOperationException)
        {
            return 0;
        }
    }
}
