using Horizon.FleetSim.Enrollment;
using Horizon.FleetSim.Options;
using Xunit;

namespace Horizon.FleetSim.Tests;

/// <summary><c>fleet-sim --enroll</c> on a small fleet: every device is approved, gets its certificate and makes its mTLS call.</summary>
public sealed class EnrollmentRunTests
{
    [Fact]
    public async Task SmallFleet_EnrollsEveryDevice_AndMeasuresHandshakesAndHeartbeatsBothWays()
    {
        var options = FleetOptionsParser.Parse(["--enroll", "--count", "24", "--registration-concurrency", "8", "--enroll-heartbeats", "1s", "--token-hash-iterations", "1000"]);
        using var log = new StringWriter();

        var report = await EnrollmentRun.RunAsync(options, log, CancellationToken.None);

        Assert.Equal(24, report.Enrollment.TotalMs.Length);
        Assert.All(report.Enrollment.FirstCallMs, ms => Assert.True(ms > 0));
        Assert.True(report.OverTls.Sent > 0 && report.OverHttp.Sent > 0, $"heartbeats: {report.OverTls.Sent} over mTLS, {report.OverHttp.Sent} over HTTP");
        using var printed = new StringWriter();
        report.Print(printed);
        Assert.Contains("enrollments: 24 in", printed.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void EnrollHeartbeats_OutOfRange_IsRefused()
    {
        var e = Assert.Throws<FleetOptionsException>(() => FleetOptionsParser.Parse(["--enroll", "--enroll-heartbeats", "0s"]));
        Assert.Contains(e.Problems, p => p.Contains("--enroll-heartbeats", StringComparison.Ordinal));
    }
}
