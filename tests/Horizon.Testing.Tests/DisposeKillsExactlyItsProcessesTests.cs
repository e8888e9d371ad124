using System.Diagnostics;
using System.Globalization;
using Horizon.Testing.Nats;
using Horizon.Testing.Postgres;
using Horizon.Testing.Registry;
using Npgsql;

namespace Horizon.Testing.Tests;

/// <summary>
/// Disposing a fixture's server ends that server's processes, and only those: another fixture's
/// server and a nats-server nobody's fixture started keep running.
/// </summary>
public sealed class DisposeKillsExactlyItsProcessesTests
{
    [Fact]
    public async Task NatsServer_Dispose_EndsItsProcess_AndLeavesOtherNatsServersRunning()
    {
        var options = NatsServerOptions.Default with { JetStream = false };
        var doomed = await NatsServer.StartAsync(options);
        var disposed = false;
        await using var neighbour = await NatsServer.StartAsync(options);
        var strangerPort = FreePort.Next();
        using var stranger = Process.Start(Prerequisites.RequireExecutable("nats-server", "/usr/sbin/nats-server", "nats-server"),
            ["-a", "127.0.0.1", "-p", strangerPort.ToString(CultureInfo.InvariantCulture)]);
        try
        {
            await FreePort.WaitUntilListeningAsync(strangerPort, TimeSpan.FromSeconds(20), () => !stranger.HasExited);
            var target = ProcessIdentity.Of(doomed.ProcessId!.Value);
            var others = ProcessIdentity.Named("nats-server").Where(p => p != target).ToList();
            Assert.Contains(ProcessIdentity.Of(neighbour.ProcessId!.Value), others);
            Assert.Contains(ProcessIdentity.Of(stranger.Id), others);

            await doomed.DisposeAsync();
            disposed = true;

            Assert.False(target.IsAlive, $"nats-server {target} still runs after dispose");
            Assert.Null(doomed.ProcessId);
            Assert.True(ProcessIdentity.Of(neighbour.ProcessId!.Value).IsAlive);
            Assert.True(ProcessIdentity.Of(stranger.Id).IsAlive);
            await using (await RawNatsConnection.ConnectAsync(neighbour.Port))
            {
            }
            await using (await RawNatsConnection.ConnectAsync(strangerPort))
            {
            }
        }
        finally
        {
            if (!disposed)
            {
                await doomed.DisposeAsync();
            }
            stranger.Kill();
            await stranger.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task NatsServer_StopWithoutGrace_EndsItsProcess()
    {
        await using var server = await NatsServer.StartAsync(NatsServerOptions.Default with { JetStream = false });
        var target = ProcessIdentity.Of(server.ProcessId!.Value);

        await server.StopAsync(graceful: false);

        Assert.False(target.IsAlive);
        Assert.False(server.IsRunning);
    }

    [Fact]
    public async Task Registry_Dispose_EndsItsProcess_AndFreesItsPort()
    {
        var registry = await RegistryServer.StartAsync();
        var target = ProcessIdentity.Of(registry.ProcessId!.Value);
        var port = registry.Port;

        await registry.DisposeAsync();

        Assert.False(target.IsAlive, $"docker-registry {target} still runs after dispose");
        await AssertNothingListensAsync(port);
    }

    [Fact]
    public async Task Postgres_Dispose_EndsItsWholeProcessTree_AndLeavesAnotherClusterRunning()
    {
        await using var neighbour = await PostgresServer.StartAsync();
        var doomed = await PostgresServer.StartAsync();
        var target = ProcessIdentity.Of(doomed.ProcessId!.Value);
        var tree = ProcessIdentity.DescendantsOf(target.Pid);
        // The postmaster and its background workers (checkpointer, walwriter, …) run below the started process.
        Assert.NotEmpty(tree);

        await doomed.DisposeAsync();

        Assert.False(target.IsAlive);
        Assert.All(tree, p => Assert.False(p.IsAlive, $"postgres process {p} still runs after dispose"));
        await using var connection = new NpgsqlConnection(neighbour.ConnectionString());
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT 1", connection);
        Assert.Equal(1, await query.ExecuteScalarAsync());
    }

    private static async Task AssertNothingListensAsync(int port) =>
        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(async () =>
        {
            using var client = new System.Net.Sockets.TcpClient();
            await client.ConnectAsync("127.0.0.1", port);
        });
}
