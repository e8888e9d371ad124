using Horizon.Testing.Docker;
using Horizon.Testing.Nats;
using Horizon.Testing.Postgres;
using Horizon.Testing.Registry;

namespace Horizon.Testing.Tests;

/// <summary>
/// Each fixture, started where its program is not installed, fails with a message that names the
/// program and tools/setup.sh. The search path is pointed at an empty folder for the test only.
/// </summary>
public sealed class PrerequisiteMissingTests : IDisposable
{
    private readonly TempDirectory _emptyBin = new("hzn-empty-bin");

    public void Dispose() => _emptyBin.Dispose();

    [Fact]
    public async Task NatsServer_WithoutNatsServerInstalled_NamesSetup()
    {
        using var _ = Prerequisites.UseSearchPath(_emptyBin.Path);

        var direct = await Assert.ThrowsAsync<PrerequisiteMissingException>(() => NatsServer.StartAsync());
        var fixture = await Assert.ThrowsAsync<PrerequisiteMissingException>(() => new NatsServerFixture().InitializeAsync());

        AssertNamesSetup("nats-server", direct);
        AssertNamesSetup("nats-server", fixture);
    }

    [Fact]
    public void DockerFixture_WithoutTheDockerCli_NamesSetup()
    {
        using var _ = Prerequisites.UseSearchPath(_emptyBin.Path);

        var ex = Assert.Throws<PrerequisiteMissingException>(() => new DockerFixture());

        AssertNamesSetup("docker CLI", ex);
    }

    [Fact]
    public async Task Registry_WithoutDockerRegistry_NamesSetup()
    {
        using var _ = Prerequisites.UseSearchPath(_emptyBin.Path);

        var direct = await Assert.ThrowsAsync<PrerequisiteMissingException>(() => RegistryServer.StartAsync());
        var fixture = await Assert.ThrowsAsync<PrerequisiteMissingException>(() => new RegistryFixture().InitializeAsync());

        AssertNamesSetup("docker-registry", direct);
        AssertNamesSetup("docker-registry", fixture);
    }

    [Fact]
    public async Task Registry_WithDockerRegistryButWithoutHtpasswd_NamesHtpasswdAndSetup()
    {
        File.CreateSymbolicLink(_emptyBin.Combine("docker-registry"), Prerequisites.RequireExecutable("docker-registry", "/usr/bin/docker-registry", "docker-registry"));
        using var _ = Prerequisites.UseSearchPath(_emptyBin.Path);

        var ex = await Assert.ThrowsAsync<PrerequisiteMissingException>(() => RegistryServer.StartAsync());

        AssertNamesSetup("htpasswd (apache2-utils)", ex);
    }

    [Fact]
    public async Task Postgres_WithoutInitdb_NamesSetup()
    {
        using var _ = Prerequisites.UseSearchPath(_emptyBin.Path);

        var direct = await Assert.ThrowsAsync<PrerequisiteMissingException>(() => PostgresServer.StartAsync());
        var fixture = await Assert.ThrowsAsync<PrerequisiteMissingException>(() => new PostgresFixture().InitializeAsync());

        AssertNamesSetup("initdb", direct);
        AssertNamesSetup("initdb", fixture);
    }

    [Fact]
    public async Task SearchPath_HoldingTheBinary_StartsTheFixture()
    {
        // The control for the tests above: the seam really decides where the fixture looks.
        File.CreateSymbolicLink(_emptyBin.Combine("nats-server"), Prerequisites.RequireExecutable("nats-server", "/usr/sbin/nats-server", "nats-server"));
        // The fixture's watchdog runs under setsid, which it looks for through the same seam.
        File.CreateSymbolicLink(_emptyBin.Combine("setsid"), Prerequisites.RequireExecutable("setsid", "/usr/bin/setsid", "setsid"));
        using var _ = Prerequisites.UseSearchPath(_emptyBin.Path);

        await using var server = await NatsServer.StartAsync(NatsServerOptions.Default with { JetStream = false });

        Assert.True(server.IsRunning);
    }

    [Fact]
    public async Task SearchPath_IsNotSeenOutsideItsScope()
    {
        using (Prerequisites.UseSearchPath(_emptyBin.Path))
        {
        }

        await using var server = await NatsServer.StartAsync(NatsServerOptions.Default with { JetStream = false });

        Assert.True(server.IsRunning);
    }

    private static void AssertNamesSetup(string program, PrerequisiteMissingException ex)
    {
        Assert.Contains(program, ex.Message, StringComparison.Ordinal);
        Assert.Contains("tools/setup.sh", ex.Message, StringComparison.Ordinal);
    }
}
