using System.Globalization;
using Horizon.NodeAgent.Engine;
using Horizon.Testing;
using Horizon.Testing.Docker;
using Xunit;

namespace Horizon.Docker.Tests.Engine;

public sealed class ContainerTests(DockerFixture fixture) : IClassFixture<DockerFixture>
{
    [Fact]
    public async Task Lifecycle_CreateStartStopRemove_IsVisibleThroughFindAndLabelList()
    {
        using var engine = EngineTestKit.Engine();
        var ct = EngineTestKit.Deadline();
        var agreement = Guid.NewGuid().ToString("N");
        var spec = EngineTestKit.Spec(fixture, "life", "sleep", "300") with
        {
            Labels = EngineTestKit.RunLabels(fixture, ("openhorizon.agreement", agreement)),
            Environment = new Dictionary<string, string> { ["HZN_AGREEMENTID"] = agreement },
        };

        var id = await engine.CreateContainerAsync(spec, ct);
        var created = await engine.FindContainerAsync(id, ct);
        Assert.Equal(("created", (int?)null), (created!.State, created.ExitCode));

        Assert.True(await engine.StartContainerAsync(id, ct));
        Assert.False(await engine.StartContainerAsync(id, ct));
        var running = await engine.FindContainerAsync(spec.Name, ct);
        Assert.True(running!.Running);
        Assert.Equal((id, spec.Name, DockerCli.BaseImage), (running.Id, running.Name, running.Image));
        Assert.Equal(agreement, running.Labels["openhorizon.agreement"]);
        Assert.Contains($"HZN_AGREEMENTID={agreement}", await EngineTestKit.InspectAsync(fixture, id, "{{json .Config.Env}}", ct), StringComparison.Ordinal);

        var listed = Assert.Single(await engine.ListContainersAsync([$"openhorizon.agreement={agreement}"], ct));
        Assert.Equal((id, spec.Name, "running"), (listed.Id, listed.Name, listed.State));
        Assert.Equal(agreement, listed.Labels["openhorizon.agreement"]);

        // busybox sleep ignores SIGTERM as PID 1, so stop falls back to SIGKILL after the grace period.
        Assert.True(await engine.StopContainerAsync(id, TimeSpan.FromSeconds(1), ct));
        Assert.False(await engine.StopContainerAsync(id, TimeSpan.FromSeconds(1), ct));
        var stopped = await engine.FindContainerAsync(id, ct);
        Assert.Equal(("exited", (int?)137, false), (stopped!.State, stopped.ExitCode, stopped.Running));

        Assert.True(await engine.RemoveContainerAsync(id, ct));
        Assert.Null(await engine.FindContainerAsync(id, ct));
        Assert.False(await engine.RemoveContainerAsync(id, ct));
        Assert.Empty(await engine.ListContainersAsync([$"openhorizon.agreement={agreement}"], ct));
    }

    [Fact]
    public async Task Create_WithEverySpecField_IsWhatDockerInspectShows()
    {
        using var engine = EngineTestKit.Engine();
        var ct = EngineTestKit.Deadline();
        using var folder = new TempDirectory("hzn-docker-fields");
        var hostPort = FreePort.Next();
        var network = await fixture.CreateNetworkAsync("fields", ct);
        var spec = EngineTestKit.Spec(fixture, "fields", "httpd", "-f", "-p", "8080", "-h", "/www") with
        {
            Environment = new Dictionary<string, string> { ["HZN_ORGANIZATION"] = "myorg", ["EMPTY"] = "" },
            Labels = EngineTestKit.RunLabels(fixture, ("openhorizon.service", "web")),
            Entrypoint = ["/bin/sh", "-c", "exec \"$@\"", "sh"],
            Binds = [$"{folder.Path}:/www:ro"],
            Ports = [new PortMapping(8080, hostPort, "127.0.0.1"), new PortMapping(9090, HostIp: "127.0.0.1", Protocol: "udp")],
            MemoryBytes = 64L * 1024 * 1024,
            Cpus = 0.5,
            Privileged = true,
            Hostname = "edge-service",
            Network = network,
            NetworkAliases = ["web"],
            Healthcheck = new HealthcheckSpec(["CMD-SHELL", "true"], TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1), 3, TimeSpan.FromSeconds(5)),
        };

        var id = await engine.CreateContainerAsync(spec, ct);
        async Task<string> Inspect(string format) => await EngineTestKit.InspectAsync(fixture, id, format, ct);

        Assert.Contains("\"HZN_ORGANIZATION=myorg\"", await Inspect("{{json .Config.Env}}"), StringComparison.Ordinal);
        Assert.Contains("\"EMPTY=\"", await Inspect("{{json .Config.Env}}"), StringComparison.Ordinal);
        Assert.Equal("web", await Inspect("{{index .Config.Labels \"openhorizon.service\"}}"));
        Assert.Equal("[\"/bin/sh\",\"-c\",\"exec \\\"$@\\\"\",\"sh\"]", await Inspect("{{json .Config.Entrypoint}}"));
        Assert.Equal("[\"httpd\",\"-f\",\"-p\",\"8080\",\"-h\",\"/www\"]", await Inspect("{{json .Config.Cmd}}"));
        Assert.Equal("edge-service", await Inspect("{{.Config.Hostname}}"));
        Assert.Equal($"[\"{folder.Path}:/www:ro\"]", await Inspect("{{json .HostConfig.Binds}}"));
        Assert.Equal($"127.0.0.1 {hostPort.ToString(CultureInfo.InvariantCulture)}", await Inspect("{{range (index .HostConfig.PortBindings \"8080/tcp\")}}{{.HostIp}} {{.HostPort}}{{end}}"));
        Assert.Equal("127.0.0.1", await Inspect("{{range (index .HostConfig.PortBindings \"9090/udp\")}}{{.HostIp}} {{.HostPort}}{{end}}"));
        Assert.Equal("67108864 67108864 500000000 true no", await Inspect("{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.NanoCpus}} {{.HostConfig.Privileged}} {{.HostConfig.RestartPolicy.Name}}"));
        Assert.Contains("web", await Inspect($"{{{{json (index .NetworkSettings.Networks \"{network}\").Aliases}}}}"), StringComparison.Ordinal);
        Assert.Equal("[CMD-SHELL true] 2s 1s 3 5s", await Inspect("{{.Config.Healthcheck.Test}} {{.Config.Healthcheck.Interval}} {{.Config.Healthcheck.Timeout}} {{.Config.Healthcheck.Retries}} {{.Config.Healthcheck.StartPeriod}}"));
        Assert.Equal([network], (await engine.FindContainerAsync(id, ct))!.Networks);
    }

    [Fact]
    public async Task Healthcheck_OfARunningContainer_IsReportedAsItsEngineSeesIt()
    {
        using var engine = EngineTestKit.Engine();
        var ct = EngineTestKit.Deadline();
        var healthy = await engine.CreateContainerAsync(EngineTestKit.Spec(fixture, "healthy", "sleep", "300") with
        {
            Healthcheck = new HealthcheckSpec(["CMD-SHELL", "true"], TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2), 1, TimeSpan.Zero),
        }, ct);
        var sick = await engine.CreateContainerAsync(EngineTestKit.Spec(fixture, "sick", "sleep", "300") with
        {
            Healthcheck = new HealthcheckSpec(["CMD", "false"], TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2), 1, TimeSpan.Zero),
        }, ct);
        var plain = await engine.CreateContainerAsync(EngineTestKit.Spec(fixture, "plain", "sleep", "300"), ct);
        foreach (var id in new[] { healthy, sick, plain })
        {
            await engine.StartContainerAsync(id, ct);
        }

        async Task<string?> HealthAsync(string id, string awaited)
        {
            while (true)
            {
                var health = (await engine.FindContainerAsync(id, ct))!.Health;
                if (health == awaited || health is null)
                {
                    return health;
                }
                await Task.Delay(100, ct);
            }
        }

        Assert.Equal("healthy", await HealthAsync(healthy, "healthy"));
        Assert.Equal("unhealthy", await HealthAsync(sick, "unhealthy"));
        Assert.Null((await engine.FindContainerAsync(plain, ct))!.Health);
    }

    // Not privileged: this machine's engine runs inside a container that may not grant every
    // capability, and the start would fail for that reason alone.
    [Fact]
    public async Task Start_WithLimitsBindAndPublishedPort_ServesTheBoundFolderOnTheHostPort()
    {
        using var engine = EngineTestKit.Engine();
        var ct = EngineTestKit.Deadline();
        using var folder = new TempDirectory("hzn-docker-www");
        await File.WriteAllTextAsync(folder.Combine("index.html"), "served-from-the-host\n", ct);
        var hostPort = FreePort.Next();
        var spec = EngineTestKit.Spec(fixture, "serve", "httpd", "-f", "-p", "8080", "-h", "/www") with
        {
            Entrypoint = ["/bin/sh", "-c", "exec \"$@\"", "sh"],
            Binds = [$"{folder.Path}:/www:ro"],
            Ports = [new PortMapping(8080, hostPort, "127.0.0.1")],
            MemoryBytes = 64L * 1024 * 1024,
            Cpus = 0.5,
        };

        var id = await engine.CreateContainerAsync(spec, ct);
        await engine.StartContainerAsync(id, ct);

        Assert.Equal("served-from-the-host\n", await GetUntilServedAsync(new Uri($"http://127.0.0.1:{hostPort}/"), ct));
        Assert.True((await engine.FindContainerAsync(id, ct))!.Running);
    }

    [Fact]
    public async Task Stop_SendsSigtermFirst_SoAContainerThatHandlesItExitsCleanly()
    {
        using var engine = EngineTestKit.Engine();
        var ct = EngineTestKit.Deadline();
        // PID 1 ignores signals it has no handler for; this one traps TERM and exits 0, where the SIGKILL after the grace period would give 137.
        var id = await engine.CreateContainerAsync(EngineTestKit.Spec(fixture, "graceful", "sh", "-c",
            "trap 'exit 0' TERM; echo ready; while true; do sleep 0.1; done"), ct);
        await engine.StartContainerAsync(id, ct);
        while (!(await fixture.Cli.RunCheckedAsync(["logs", id], cancellationToken: ct)).Contains("ready", StringComparison.Ordinal))
        {
            await Task.Delay(50, ct);
        }

        Assert.True(await engine.StopContainerAsync(id, TimeSpan.FromSeconds(30), ct));

        var stopped = await engine.FindContainerAsync(id, ct);
        Assert.Equal(("exited", (int?)0), (stopped!.State, stopped.ExitCode));
    }

    [Fact]
    public async Task Remove_TakesAnonymousVolumesAlong()
    {
        using var engine = EngineTestKit.Engine();
        var ct = EngineTestKit.Deadline();
        var name = fixture.UniqueName("vol-rm");
        var id = (await fixture.Cli.RunCheckedAsync(["create", "--name", name, "--label", fixture.RunLabel, "-v", "/scratch", DockerCli.BaseImage, "true"], cancellationToken: ct)).Trim();
        var volume = await EngineTestKit.InspectAsync(fixture, id, "{{range .Mounts}}{{.Name}}{{end}}", ct);

        Assert.True(await engine.RemoveContainerAsync(id, ct));

        Assert.False(await fixture.ExistsAsync("volume", volume));
    }

    [Fact]
    public async Task MissingContainer_IsNullToFind_FalseToRemove_AndNotFoundToStartAndStop()
    {
        using var engine = EngineTestKit.Engine();
        var missing = fixture.UniqueName("missing");

        Assert.Null(await engine.FindContainerAsync(missing));
        Assert.False(await engine.RemoveContainerAsync(missing));
        var error = await Assert.ThrowsAsync<EngineNotFoundException>(() => engine.StartContainerAsync(missing));
        await Assert.ThrowsAsync<EngineNotFoundException>(() => engine.StopContainerAsync(missing, TimeSpan.FromSeconds(1)));
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_FromAnImageThatIsNotHere_IsNotFound()
    {
        using var engine = EngineTestKit.Engine();
        var spec = EngineTestKit.Spec(fixture, "noimage") with { Image = $"hzn/not-here-{Guid.NewGuid():N}:1" };

        await Assert.ThrowsAsync<EngineNotFoundException>(() => engine.CreateContainerAsync(spec));
    }

    [Fact]
    public async Task Create_WithANameInUse_IsAConflict()
    {
        using var engine = EngineTestKit.Engine();
        var spec = EngineTestKit.Spec(fixture, "twice", "true");
        await engine.CreateContainerAsync(spec);

        var error = await Assert.ThrowsAsync<EngineConflictException>(() => engine.CreateContainerAsync(spec));
        Assert.Contains("already in use", error.Message, StringComparison.Ordinal);
    }

    /// <summary>GETs until the container's server answers: the engine publishes the port before the process inside listens.</summary>
    private static async Task<string> GetUntilServedAsync(Uri address, CancellationToken ct)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        while (true)
        {
            try
            {
                return await http.GetStringAsync(address, ct);
            }
            catch (HttpRequestException) when (!ct.IsCancellationRequested)
            {
                await Task.Delay(100, ct);
            }
        }
    }
}
