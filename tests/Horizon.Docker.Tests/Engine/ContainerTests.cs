using System.Globalization;
using Horizon.Testing;
using Horizon.Testing.Docker;
using Xunit;

namespace Horizon.Docker.Tests.Engine;

public sealed class ContainerTests(DockerFixture fixture) : IClassFixture<DockerFixture>
{
    [Fact]
    public async Task Lifecycle_CreateStartStopRemove_IsVisibleThroughInspectAndLabelList()
    {
        using var client = EngineTestKit.Client();
        var ct = EngineTestKit.Deadline();
        var agreement = Guid.NewGuid().ToString("N");
        var spec = EngineTestKit.Spec(fixture, "life", "sleep", "300") with
        {
            Labels = EngineTestKit.RunLabels(fixture, ("openhorizon.agreement", agreement)),
            Environment = new Dictionary<string, string> { ["HZN_AGREEMENTID"] = agreement },
        };

        var created = await client.Containers.CreateAsync(spec, ct);
        Assert.Equal("created", (await client.Containers.InspectAsync(created.Id, ct)).State.Status);

        Assert.True(await client.Containers.StartAsync(created.Id, ct));
        Assert.False(await client.Containers.StartAsync(created.Id, ct));
        var running = await client.Containers.InspectAsync(spec.Name!, ct);
        Assert.True(running.State.Running);
        Assert.Equal(created.Id, running.Id);
        Assert.Contains($"HZN_AGREEMENTID={agreement}", running.Config.Env ?? []);

        var listed = Assert.Single(await client.Containers.ListAsync([$"openhorizon.agreement={agreement}"], ct));
        Assert.Equal(created.Id, listed.Id);
        Assert.Equal("running", listed.State);
        Assert.Equal(agreement, listed.Labels["openhorizon.agreement"]);

        // busybox sleep ignores SIGTERM as PID 1, so stop falls back to SIGKILL after the grace period.
        Assert.True(await client.Containers.StopAsync(created.Id, TimeSpan.FromSeconds(1), ct));
        Assert.False(await client.Containers.StopAsync(created.Id, TimeSpan.FromSeconds(1), ct));
        var stopped = await client.Containers.InspectAsync(created.Id, ct);
        Assert.False(stopped.State.Running);
        Assert.Equal("exited", stopped.State.Status);
        Assert.Equal(137, stopped.State.ExitCode);
        Assert.Equal(0, stopped.RestartCount);

        await client.Containers.RemoveAsync(created.Id, cancellationToken: ct);
        await Assert.ThrowsAsync<DockerNotFoundException>(() => client.Containers.InspectAsync(created.Id, ct));
        Assert.Empty(await client.Containers.ListAsync([$"openhorizon.agreement={agreement}"], ct));
    }

    [Fact]
    public async Task Create_WithEverySpecField_IsWhatInspectShows()
    {
        using var client = EngineTestKit.Client();
        var ct = EngineTestKit.Deadline();
        using var folder = new TempDirectory("hzn-docker-fields");
        var hostPort = FreePort.Next();
        var spec = EngineTestKit.Spec(fixture, "fields", "httpd", "-f", "-p", "8080", "-h", "/www") with
        {
            Environment = new Dictionary<string, string> { ["HZN_ORGANIZATION"] = "myorg", ["EMPTY"] = "" },
            Labels = EngineTestKit.RunLabels(fixture, ("openhorizon.service", "web")),
            Entrypoint = ["/bin/sh", "-c", "exec \"$@\"", "sh"],
            Binds = [$"{folder.Path}:/www:ro"],
            Volumes = ["/scratch"],
            Ports = [new PortMapping(8080, hostPort, "127.0.0.1"), new PortMapping(9090, HostIp: "127.0.0.1", Protocol: "udp")],
            MemoryBytes = 64L * 1024 * 1024,
            Cpus = 0.5,
            Privileged = true,
            Hostname = "edge-service",
        };

        var created = await client.Containers.CreateAsync(spec, ct);
        var inspect = await client.Containers.InspectAsync(created.Id, ct);

        Assert.Contains("HZN_ORGANIZATION=myorg", inspect.Config.Env ?? []);
        Assert.Contains("EMPTY=", inspect.Config.Env ?? []);
        Assert.Equal("web", inspect.Config.Labels!["openhorizon.service"]);
        Assert.Equal(["/bin/sh", "-c", "exec \"$@\"", "sh"], inspect.Config.Entrypoint);
        Assert.Equal(["httpd", "-f", "-p", "8080", "-h", "/www"], inspect.Config.Cmd);
        Assert.Equal("edge-service", inspect.Config.Hostname);
        Assert.Equal([$"{folder.Path}:/www:ro"], inspect.HostConfig.Binds);
        var bind = Assert.Single(inspect.Mounts, m => m.Type == "bind");
        Assert.Equal((folder.Path, "/www", false), (bind.Source, bind.Destination, bind.ReadWrite));
        var volume = Assert.Single(inspect.Mounts, m => m.Type == "volume");
        Assert.Equal("/scratch", volume.Destination);
        Assert.NotEmpty(volume.Name);
        var tcp = Assert.Single(inspect.HostConfig.PortBindings!["8080/tcp"]!);
        Assert.Equal(("127.0.0.1", hostPort.ToString(CultureInfo.InvariantCulture)), (tcp.HostIp, tcp.HostPort));
        var udp = Assert.Single(inspect.HostConfig.PortBindings!["9090/udp"]!);
        Assert.Equal(("127.0.0.1", ""), (udp.HostIp, udp.HostPort));
        Assert.Equal(64L * 1024 * 1024, inspect.HostConfig.Memory);
        Assert.Equal(64L * 1024 * 1024, inspect.HostConfig.MemorySwap);
        Assert.Equal(500_000_000, inspect.HostConfig.NanoCpus);
        Assert.True(inspect.HostConfig.Privileged);
        Assert.Equal("no", inspect.HostConfig.RestartPolicy.Name);
    }

    // Not privileged: this machine's engine runs inside a container that may not grant every
    // capability, and the start would fail for that reason alone.
    [Fact]
    public async Task Start_WithLimitsBindAndPublishedPort_ServesTheBoundFolderOnTheHostPort()
    {
        using var client = EngineTestKit.Client();
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

        var created = await client.Containers.CreateAsync(spec, ct);
        await client.Containers.StartAsync(created.Id, ct);

        Assert.Equal("served-from-the-host\n", await GetUntilServedAsync(new Uri($"http://127.0.0.1:{hostPort}/"), ct));
        Assert.True((await client.Containers.InspectAsync(created.Id, ct)).State.Running);
    }

    [Fact]
    public async Task Stop_SendsSigtermFirst_SoAContainerThatHandlesItExitsCleanly()
    {
        using var client = EngineTestKit.Client();
        var ct = EngineTestKit.Deadline();
        // PID 1 ignores signals it has no handler for; this one traps TERM and exits 0, where the SIGKILL after the grace period would give 137.
        var created = await client.Containers.CreateAsync(EngineTestKit.Spec(fixture, "graceful", "sh", "-c",
            "trap 'exit 0' TERM; echo ready; while true; do sleep 0.1; done"), ct);
        await client.Containers.StartAsync(created.Id, ct);
        while (!(await client.Containers.GetLogsAsync(created.Id, cancellationToken: ct)).Contains(new ContainerLogLine(LogSource.Stdout, "ready")))
        {
            await Task.Delay(50, ct);
        }

        Assert.True(await client.Containers.StopAsync(created.Id, TimeSpan.FromSeconds(30), ct));

        var stopped = await client.Containers.InspectAsync(created.Id, ct);
        Assert.Equal(("exited", 0), (stopped.State.Status, stopped.State.ExitCode));
    }

    [Fact]
    public async Task Remove_TakesAnonymousVolumesAlong_UnlessAskedToKeepThem()
    {
        using var client = EngineTestKit.Client();
        var ct = EngineTestKit.Deadline();
        var withVolumes = await client.Containers.CreateAsync(EngineTestKit.Spec(fixture, "vol-rm", "true") with { Volumes = ["/scratch"] }, ct);
        var keeping = await client.Containers.CreateAsync(EngineTestKit.Spec(fixture, "vol-keep", "true") with { Volumes = ["/scratch"] }, ct);
        var removedVolume = Assert.Single((await client.Containers.InspectAsync(withVolumes.Id, ct)).Mounts).Name;
        var keptVolume = Assert.Single((await client.Containers.InspectAsync(keeping.Id, ct)).Mounts).Name;
        try
        {
            await client.Containers.RemoveAsync(withVolumes.Id, cancellationToken: ct);
            await client.Containers.RemoveAsync(keeping.Id, removeVolumes: false, cancellationToken: ct);

            Assert.False(await fixture.ExistsAsync("volume", removedVolume));
            Assert.True(await fixture.ExistsAsync("volume", keptVolume));
        }
        finally
        {
            // Anonymous volumes carry no run label, so the fixture's sweep cannot find this one once its container is gone.
            await fixture.Cli.RunAsync(["volume", "rm", keptVolume]);
        }
    }

    [Fact]
    public async Task Logs_FromABindMountedFile_SplitStdoutFromStderrAndHonourTail()
    {
        using var client = EngineTestKit.Client();
        var ct = EngineTestKit.Deadline();
        using var folder = new TempDirectory("hzn-docker-bind");
        await File.WriteAllTextAsync(folder.Combine("greeting"), "hello from the host\n", ct);
        var spec = EngineTestKit.Spec(fixture, "logs", "sh", "-c",
            "for i in 1 2 3 4 5; do echo out-$i; done; cat /data/greeting; echo oops >&2; printf 'no newline'") with
        {
            Binds = [$"{folder.Path}:/data:ro"],
        };

        var created = await client.Containers.CreateAsync(spec, ct);
        await client.Containers.StartAsync(created.Id, ct);
        Assert.Equal(0, await client.Containers.WaitAsync(created.Id, ct));

        var all = await client.Containers.GetLogsAsync(created.Id, tail: 100, ct);
        // The engine records the two streams separately, so only the order within each stream is defined.
        Assert.Equal(
            ["out-1", "out-2", "out-3", "out-4", "out-5", "hello from the host", "no newline"],
            all.Where(l => l.Stream == LogSource.Stdout).Select(l => l.Text));
        Assert.Equal(["oops"], all.Where(l => l.Stream == LogSource.Stderr).Select(l => l.Text));
        var tail = await client.Containers.GetLogsAsync(created.Id, tail: 2, ct);
        Assert.Equal(2, tail.Count);
        Assert.Equal(all.TakeLast(2), tail);
    }

    [Fact]
    public async Task Inspect_OfAContainerThatDoesNotExist_IsNotFound()
    {
        using var client = EngineTestKit.Client();
        var missing = fixture.UniqueName("missing");

        var error = await Assert.ThrowsAsync<DockerNotFoundException>(() => client.Containers.InspectAsync(missing));
        Assert.Contains(missing, error.ResponseMessage, StringComparison.Ordinal);
        await Assert.ThrowsAsync<DockerNotFoundException>(() => client.Containers.RemoveAsync(missing));
        await Assert.ThrowsAsync<DockerNotFoundException>(() => client.Containers.StartAsync(missing));
    }

    [Fact]
    public async Task Create_FromAnImageThatIsNotHere_IsNotFound()
    {
        using var client = EngineTestKit.Client();
        var spec = EngineTestKit.Spec(fixture, "noimage") with { Image = $"hzn/not-here-{Guid.NewGuid():N}:1" };

        await Assert.ThrowsAsync<DockerNotFoundException>(() => client.Containers.CreateAsync(spec));
    }

    [Fact]
    public async Task Create_WithANameInUse_IsAConflict()
    {
        using var client = EngineTestKit.Client();
        var spec = EngineTestKit.Spec(fixture, "twice", "true");
        await client.Containers.CreateAsync(spec);

        var error = await Assert.ThrowsAsync<DockerConflictException>(() => client.Containers.CreateAsync(spec));
        Assert.Contains("already in use", error.ResponseMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KillAndRemove_InTheWrongState_AreConflicts()
    {
        using var client = EngineTestKit.Client();
        var ct = EngineTestKit.Deadline();
        var created = await client.Containers.CreateAsync(EngineTestKit.Spec(fixture, "state", "sleep", "300"), ct);

        await Assert.ThrowsAsync<DockerConflictException>(() => client.Containers.KillAsync(created.Id, cancellationToken: ct));
        await client.Containers.StartAsync(created.Id, ct);
        await Assert.ThrowsAsync<DockerConflictException>(() => client.Containers.RemoveAsync(created.Id, cancellationToken: ct));

        await client.Containers.KillAsync(created.Id, cancellationToken: ct);
        Assert.Equal(137, await client.Containers.WaitAsync(created.Id, ct));
        await client.Containers.RemoveAsync(created.Id, force: true, cancellationToken: ct);
        Assert.False(await fixture.ExistsAsync("container", created.Id));
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
