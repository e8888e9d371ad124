using System.Text.Json;
using Horizon.EndToEnd.Tests.Support;

namespace Horizon.EndToEnd.Tests;

/// <summary>A version whose container keeps dying: the node gives up past its retry budget and the agbot falls back.</summary>
[Collection(EndToEndTests.Name)]
public sealed class CrashLoopTests(InstallationFixture fixture, ITestOutputHelper output)
{
    private const string Service = "crashy";

    [Fact]
    public async Task Pattern_WhosePreferredVersionCrashLoops_IsCancelledWith103AndFallsBackToTheLowerPriorityVersion()
    {
        var installation = fixture.Installation;
        await using var site = await installation.CreateSiteAsync();
        // 2.0.0 dies a second after each start; 1.0.0 stays up. (The second matters: a container that
        // exits before the agent has recorded it is not supervised at all — see the README.)
        var crashing = await installation.BuildAndPushImageAsync($"{site.Org}/{Service}", "2.0.0", """["sh", "-c", "echo crashing; sleep 1; exit 3"]""");
        var steady = await installation.BuildAndPushImageAsync($"{site.Org}/{Service}", "1.0.0", """["sh", "-c", "echo steady; trap \"exit 0\" TERM; while true; do sleep 5 & wait $!; done"]""");
        await site.Hzn.RunCheckedAsync(["exchange", "service", "publish", "-f", ServiceFiles.WriteService(site, Service, "2.0.0", crashing), "-r", site.RegistryAuth]);
        await site.Hzn.RunCheckedAsync(["exchange", "service", "publish", "-f", ServiceFiles.WriteService(site, Service, "1.0.0", steady), "-r", site.RegistryAuth]);
        // One restart on the node per agreement, and one renegotiation of 2.0.0 before the agbot gives up on it.
        await site.Hzn.RunCheckedAsync(["exchange", "pattern", "publish", "-f", ServiceFiles.WritePattern(site, Service, Service, ["2.0.0", "1.0.0"], retries: 1, retryDurations: 3600)]);
        await site.Hzn.RunCheckedAsync(["exchange", "agbot", "addpattern", site.AgbotId, site.Org, Service]);
        await site.StartAgentsAsync();

        var register = await site.Hzn.RunAsync(["register", "-n", $"{site.NodeId}:{site.NodeToken}", "-p", Service]);
        Assert.True(register.Succeeded, $"hzn register exited {register.ExitCode}:\n{register.StandardOutput}\n{register.StandardError}\n{site.Diagnostics()}");
        output.WriteLine(register.StandardOutput);

        var registered = System.Diagnostics.Stopwatch.StartNew();
        var fallback = await Eventually.ReachedAsync("an active agreement on 1.0.0 after 2.0.0 crash-looped", async () =>
        {
            var agreements = await site.AgbotAgreementsAsync();
            return agreements.Any(a => Status(a) == "active" && Version(a) == "1.0.0") ? agreements : null;
        }, site, TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(1));

        output.WriteLine($"active on 1.0.0 {registered.Elapsed.TotalSeconds:0.0} s after registration");
        var failed = fallback.Where(a => Version(a) == "2.0.0").ToList();
        Assert.True(failed.Count >= 2, $"2.0.0 was tried {failed.Count} times before the fallback:\n{Describe(fallback)}");
        Assert.All(failed, a =>
        {
            Assert.Equal("cancelled", Status(a));
            Assert.Equal(103, a.GetProperty("cancelReason").GetInt32());
        });
        var running = await Eventually.ReachedAsync("the 1.0.0 container runs", async () =>
        {
            var names = await site.RunningContainersAsync();
            return names.Count == 1 ? names : null;
        }, site, TimeSpan.FromSeconds(30));
        var version = await installation.Docker.RunCheckedAsync(["inspect", "--format", "{{index .Config.Labels \"org.openhorizon.horizon.service.version\"}}", running[0]]);
        Assert.Equal("1.0.0", version);
    }

    private static string? Status(JsonElement agreement) => agreement.GetProperty("status").GetString();

    private static string? Version(JsonElement agreement) => agreement.GetProperty("version").GetString();

    private static string Describe(IEnumerable<JsonElement> agreements) => string.Join('\n', agreements.Select(a => a.GetRawText()));
}
