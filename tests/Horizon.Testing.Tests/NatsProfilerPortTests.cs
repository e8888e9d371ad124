using System.Globalization;
using Horizon.Testing.Nats;

namespace Horizon.Testing.Tests;

[CollectionDefinition(nameof(NatsProfilerPortTests), DisableParallelization = true)]
public sealed class NatsProfilerPortRunsAlone;

/// <summary>
/// HZN_NATS_PROF_PORT opens nats-server's Go profiler for benchmarks. The variable is process-wide,
/// so these tests run alone: any server started meanwhile would try the same port.
/// </summary>
[Collection(nameof(NatsProfilerPortTests))]
public sealed class NatsProfilerPortTests
{
    [Fact]
    public async Task WithTheVariableSet_TheServerServesItsProfiler_OnLoopback()
    {
        var port = FreePort.Next();
        Environment.SetEnvironmentVariable("HZN_NATS_PROF_PORT", port.ToString(CultureInfo.InvariantCulture));
        try
        {
            await using var server = await NatsServer.StartAsync();
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            string? index = null;
            for (var attempt = 0; attempt < 50 && index is null; attempt++)
            {
                try
                {
                    index = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/debug/pprof/"));
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(100);
                }
            }
            Assert.NotNull(index);
            Assert.Contains("goroutine", index, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("HZN_NATS_PROF_PORT", null);
        }
    }

    [Fact]
    public async Task WithoutTheVariable_NoProfilerIsOpened()
    {
        await using var server = await NatsServer.StartAsync();

        Assert.DoesNotContain("prof_port", await File.ReadAllTextAsync(server.ConfigPath), StringComparison.Ordinal);
    }
}
