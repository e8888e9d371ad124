using System.Globalization;
using Horizon.FleetSim.Fleet;

namespace Horizon.FleetSim.Enrollment;

/// <summary>Enrollment of the whole fleet: wall time, the exchange's CPU, and each device's latencies (sorted, ms).</summary>
internal sealed record EnrollmentStats(TimeSpan Elapsed, TimeSpan ExchangeCpu, double[] SubmitMs, double[] FirstCallMs, double[] TotalMs);

/// <summary>One node's calls each on a new mTLS connection, and on one kept connection (sorted, ms), with the exchange's CPU per call.</summary>
internal sealed record HandshakeStats(int Calls, double[] FreshMs, double[] KeptMs, double FreshCpuMs, double KeptCpuMs);

/// <summary>Heartbeats sent in a timed window, and the exchange's CPU per heartbeat.</summary>
internal sealed record HeartbeatStats(long Sent, TimeSpan Elapsed, double CpuMsPerBeat)
{
    public double PerSecond => Sent / Elapsed.TotalSeconds;
}

/// <summary>What <c>fleet-sim --enroll</c> prints.</summary>
internal sealed record EnrollmentReport(int Count, int Concurrency, EnrollmentStats Enrollment, HandshakeStats Handshake, HeartbeatStats OverTls,
    HeartbeatStats OverHttp, int HeartbeatNodes)
{
    public double EnrollmentsPerSecond => Count / Enrollment.Elapsed.TotalSeconds;

    public void Print(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var c = CultureInfo.InvariantCulture;
        static string P(double[] sorted) => string.Create(CultureInfo.InvariantCulture,
            $"p50 {Percentiles.Of(sorted, 50):F1} / p90 {Percentiles.Of(sorted, 90):F1} / p99 {Percentiles.Of(sorted, 99):F1} ms");
        output.WriteLine(string.Create(c, $"enrollments: {Count} in {Enrollment.Elapsed.TotalSeconds:F2} s = {EnrollmentsPerSecond:F0}/s ({Concurrency} in flight; request -> auto-approved -> certificate -> first mTLS call)"));
        output.WriteLine($"  per device, request to certificate:      {P(Enrollment.SubmitMs)}");
        output.WriteLine($"  per device, first mTLS call (handshake): {P(Enrollment.FirstCallMs)}");
        output.WriteLine($"  per device, all of it:                   {P(Enrollment.TotalMs)}");
        output.WriteLine(string.Create(c, $"  exchange CPU: {Enrollment.ExchangeCpu.TotalMilliseconds / Count:F2} ms per enrollment ({Enrollment.ExchangeCpu.TotalSeconds:F1} s in all)"));
        output.WriteLine(string.Create(c, $"mTLS handshake on an agent route (GET its node, one at a time, {Handshake.Calls} calls each):"));
        output.WriteLine($"  new connection each call: {P(Handshake.FreshMs)}");
        output.WriteLine($"  one kept connection:      {P(Handshake.KeptMs)}");
        output.WriteLine(string.Create(c, $"  handshake ~ {Percentiles.Of(Handshake.FreshMs, 50) - Percentiles.Of(Handshake.KeptMs, 50):F2} ms at p50; exchange CPU {Handshake.FreshCpuMs:F2} ms per call on a new connection, {Handshake.KeptCpuMs:F2} ms on a kept one"));
        output.WriteLine(string.Create(c, $"heartbeats, {HeartbeatNodes} nodes, kept connections, {Math.Min(Concurrency, HeartbeatNodes)} in flight, {OverTls.Elapsed.TotalSeconds:F0} s each:"));
        output.WriteLine(string.Create(c, $"  mTLS (device certificate, HTTPS): {OverTls.PerSecond:F0}/s, exchange CPU {OverTls.CpuMsPerBeat:F3} ms per heartbeat"));
        output.WriteLine(string.Create(c, $"  Basic token (plain HTTP):         {OverHttp.PerSecond:F0}/s, exchange CPU {OverHttp.CpuMsPerBeat:F3} ms per heartbeat"));
    }
}
