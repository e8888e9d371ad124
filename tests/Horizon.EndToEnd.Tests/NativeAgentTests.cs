using System.Text.Json;
using Horizon.EndToEnd.Tests.Support;

namespace Horizon.EndToEnd.Tests;

/// <summary>
/// The node agent as it ships, the NativeAOT executable (tools/publish-agent.sh), through what it does
/// on a node: registration, negotiation with a real agbot, the containers started, a restart that
/// re-adopts them, and a cancel from the node's owner. Under AOT, reflection the trimmer removed or
/// JSON without source-generated metadata fails at run time, not at build time; this is where it shows.
/// </summary>
[Collection(EndToEndTests.Name)]
public sealed class NativeAgentTests(InstallationFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private HorizonInstallation Installation => fixture.Installation;

    [Fact]
    public async Task NativeAgent_RegistersNegotiatesRunsHelloEdgeReadoptsAfterARestartAndCancels()
    {
        var agent = await NativeNodeAgent.PublishedAsync(output.WriteLine);
        await using var site = await Installation.CreateSiteAsync();
        site.NodeAgentProgram = agent;
        await HelloEdgeSample.PublishAsync(site);
        await site.StartAgentsAsync();
        // The process is the native executable itself, not dotnet running an assembly.
        Assert.Equal(agent.AssemblyPath, ExecutableOf(site.NodeAgentProcessId));

        var register = await HelloEdgeSample.RegisterAndWaitAsync(site);

        Assert.True(register.Succeeded, $"hzn register --wait exited {register.ExitCode}:\n{register.StandardOutput}\n{register.StandardError}\n{site.Diagnostics()}");
        var agreement = Assert.Single(await site.AgbotAgreementsAsync());
        Assert.Equal("active", agreement.GetProperty("status").GetString());
        var id = agreement.GetProperty("id").GetString()!;
        var containers = await ContainerIdsAsync(site);
        Assert.Equal(2, containers.Count);

        // A restart re-adopts the running containers instead of starting them again.
        await site.StopNodeAgentAsync();
        await site.StartNodeAgentAsync();
        Assert.Equal("running", (await NodeAgreementAsync(site, id)).GetProperty("state").GetString());
        Assert.Equal(containers, await ContainerIdsAsync(site));

        // The node's owner cancels: the workload goes, the agbot hears 105 through the outbox.
        var cancel = await site.Hzn.RunAsync(["agreement", "cancel", id]);

        Assert.True(cancel.Succeeded, $"hzn agreement cancel exited {cancel.ExitCode}:\n{cancel.StandardOutput}\n{cancel.StandardError}\n{site.Diagnostics()}");
        var ended = await NodeAgreementAsync(site, id);
        Assert.Equal(105, ended.GetProperty("reason").GetInt32());
        await Eventually.TrueAsync("the agbot records the agreement cancelled with 105", async () =>
            (await site.AgbotAgreementsAsync()).Any(a => a.GetProperty("id").GetString() == id
                && a.GetProperty("status").GetString() == "cancelled" && a.GetProperty("cancelReason").GetInt32() == 105), site, Patience);
        // The agbot may already be negotiating a new agreement; the cancelled one's containers are gone.
        var left = await Installation.Docker.RunAsync(["inspect", "--format", "{{.Id}}", .. containers]);
        Assert.DoesNotContain(containers, c => left.StandardOutput.Contains(c, StringComparison.Ordinal));
        output.WriteLine($"native agent {agent.AssemblyPath}: agreement {id} ran, was re-adopted and cancelled");
    }

    private static string ExecutableOf(int? processId) =>
        processId is { } pid ? new FileInfo($"/proc/{pid}/exe").LinkTarget ?? "" : "(the node agent is not running)";

    private async Task<IReadOnlyList<string>> ContainerIdsAsync(EdgeSite site) =>
        [.. (await Installation.Docker.RunCheckedAsync(["ps", "-q", "--no-trunc", "--filter", site.DockerFilter, "--filter", "status=running"]))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal)];

    private static async Task<JsonElement> NodeAgreementAsync(EdgeSite site, string id)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var document = JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{site.NodeAgentPort}/agreements/{id}"));
        return document.RootElement.Clone();
    }
}
